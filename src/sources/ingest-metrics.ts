import type { IngestRejectReason } from '../core/drop-reason.js';

/** What HTTP ingest and the bus sink count. */
export interface IngestMetrics {
  /** Events stored in the inbox, by source (`http`, `bus`, `follow`). */
  received(source: 'http' | 'bus' | 'follow', n: number): void;
  /** Events or requests refused, by reason. */
  rejected(reason: IngestRejectReason, n: number): void;
  /** One answered `POST /events`, by status code. */
  request(statusCode: number): void;
}
