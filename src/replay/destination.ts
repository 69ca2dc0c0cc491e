import type { RoutingSettings } from './event-routing.js';
import type { RecordEncoding } from './transform-lines.js';

/** One transformed record on its way to a destination. */
export interface ReplayRecord {
  /**
   * The xAPI statement or bare Caliper event, encoded as UTF-8 (JSON unless the destination asked
   * otherwise): a view into its unit's buffer, so request bodies are joined without re-encoding.
   */
  bytes: Buffer;
  /** The statement/event id (deterministic: a repeat carries the same id). */
  id: string;
  /** The Open edX event name it came from. */
  eventName: string;
  /** 1-based line of the source it came from. */
  line: number;
  /** With `routing`: `routes[i]` is 1 when router i of `routing.routers` takes this record. */
  routes?: Uint8Array;
}

/** Where a batch came from, for logs and rejection reports. */
export interface BatchMeta {
  /** The source: a path or `s3://bucket/key`. */
  source: string;
  firstLine: number;
  lastLine: number;
}

/** A record the destination refused for itself (not for an outage): it is reported and skipped. */
export interface RejectedRecord {
  record: ReplayRecord;
  /**
   * `conflict`: another statement has its id — the LRS answered 409 for it alone (it holds a
   * different statement with the id), or a different statement with the id was in its batch.
   * `rejected`: refused for anything else.
   */
  reason: 'rejected' | 'conflict';
  /** e.g. `HTTP 400: {"error": …}`. */
  error: string;
}

/**
 * What sending one batch came to.
 * - `accepted`: the destination took responsibility for the batch (stored it, wrote it, or put it
 *   in a durable outbox). The replay checkpoints past it. `rejected` lists records it refused for
 *   themselves.
 * - `failed`: the destination is unavailable (down, timing out, 401, retries used up). The replay
 *   stops without checkpointing past this batch, so the next run sends it again.
 */
export type SendOutcome = { status: 'accepted'; rejected: RejectedRecord[] } | { status: 'failed'; error: string };

/**
 * Where a replay delivers (the seam for the routers/outbox destination). Batches arrive in
 * source order per source; several sources (`--concurrency`) and up to three batches per source may
 * be in flight at once, so `send` must allow concurrent calls. It must not throw: failures are a
 * `failed` outcome. `close` is called once, after the last send settled.
 */
export interface ReplayDestination {
  /** Shown to the user: `https://lrs.example/xapi/`, `out.ndjson`, `stdout`, `dry run`. */
  readonly description: string;
  /**
   * Identifies the destination in checkpoints: a replay to another LRS starts over, one to the
   * same LRS resumes. Undefined: this destination keeps no checkpoints (a dry run).
   */
  readonly checkpointKey: string | undefined;
  /** How records should be encoded. Default `json`. */
  readonly encoding?: RecordEncoding;
  /**
   * Backend filters and router match_params applied while transforming (in the workers); each
   * record then says which routers take it. Default none: every record goes to the destination.
   */
  readonly routing?: RoutingSettings;
  /** False when nothing is really delivered (dry run): the summary then says so. Default true. */
  readonly delivers?: boolean;
  send(batch: readonly ReplayRecord[], meta: BatchMeta, signal: AbortSignal): Promise<SendOutcome>;
  /** Lines added to the end-of-run summary (e.g. counts per router). */
  details?(): string[];
  close(): Promise<void>;
}
