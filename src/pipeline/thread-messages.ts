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

/** Identity counters as plain data (IdentityMetrics calls since the last message). */
export interface IdentityCountDelta {
  hits: Record<string, number>;
  misses: Record<string, number>;
  providerErrors: Record<string, number>;
  minted: Record<string, number>;
}

/** What the pipeline thread answers and takes from the main thread (src/core/thread-rpc.ts). */
export type PipelineThreadSide = {
  requests: {
    /**
     * A `POST /events` body (UTF-8 bytes, transferred, not copied) to store through the
     * pipeline's inbox connection. Never rejects for what the body holds: that is `failed`.
     */
    ingest: { args: Uint8Array; reply: StoredBody };
    /** Process what is due in the inbox within `timeoutMs`; false when the deadline came first. */
    drain: { args: number; reply: boolean };
  };
  notes: {
    /** New events are in the inbox. */
    wake: undefined;
    /** The routers changed: reload them now. */
    routers: undefined;
    /** Close the connections and exit. */
    stop: undefined;
  };
};

/** What the main thread answers and takes from the pipeline thread. */
export type MainThreadSide = {
  requests: {
    /** One batch's outbox items (payloads as JSON text), answered after the outbox commit. */
    enqueue: { args: SerialisedItem[]; reply: EnqueueOutcome };
  };
  notes: {
    /** The pipeline runs: its connections are open and its routers loaded. */
    ready: undefined;
    /** The pipeline could not start; the thread exits. */
    failed: { message: string };
    routers: { version: number; active: number };
    counts: { pipeline: CountDelta; identity: IdentityCountDelta };
    log: { level: 'warn' | 'error'; message: string; where: string };
  };
};
