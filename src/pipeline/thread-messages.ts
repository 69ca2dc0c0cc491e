import type { Settings } from '../config/schema.js';
import type { EnqueueOutcome } from '../queue/port.js';
import type { CountDelta } from './observer.js';
import type { SerialisedItem } from './serialised-items.js';
import type { StoredBody } from '../sources/http/store-body.js';

/** What the pipeline thread is started with (plain data: structured-cloned into the thread). */
export interface PipelineThreadData {
  settings: Settings;
  inboxPath: string;
}

/** Main thread → pipeline thread. */
export type ToPipelineThread =
  | { type: 'wake' }
  | { type: 'routers' }
  | { type: 'drain'; id: number; timeoutMs: number }
  | { type: 'enqueued'; id: number; outcome?: EnqueueOutcome; error?: string }
  /** A `POST /events` body (UTF-8 bytes, transferred, not copied) to read and store in the inbox (answered with `ingested`). */
  | { type: 'ingest'; id: number; body: Uint8Array }
  | { type: 'stop' };

/** Identity counters as plain data (IdentityMetrics calls since the last message). */
export interface IdentityCountDelta {
  hits: Record<string, number>;
  misses: Record<string, number>;
  providerErrors: Record<string, number>;
  minted: Record<string, number>;
}

/** Pipeline thread → main thread. */
export type FromPipelineThread =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'enqueue'; id: number; items: SerialisedItem[] }
  | { type: 'routers'; version: number; active: number }
  | { type: 'counts'; pipeline: CountDelta; identity: IdentityCountDelta }
  | { type: 'drained'; id: number; ok: boolean }
  | { type: 'ingested'; id: number; stored: StoredBody }
  | { type: 'log'; level: 'warn' | 'error'; message: string; where: string }
  | { type: 'stopped' };
