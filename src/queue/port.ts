import type { DeadLetterReason } from '../core/dead-letter-reason.js';
import type { JsonPayload } from './json-payload.js';

/**
 * The durable outbox between ingest and delivery (architecture §11). One queue holds the
 * items of every router; each item belongs to exactly one router. Every adapter (memory,
 * SQLite, later PostgreSQL) passes test/conformance/delivery-queue.suite.ts.
 *
 * Methods are async so that networked adapters fit behind the same port; the SQLite adapter
 * does its work synchronously inside them.
 */
export interface DeliveryQueue {
  /** Adds items, all or nothing, in one transaction. Beyond the depth limits nothing is added. */
  enqueue(items: readonly NewQueueItem[]): Promise<EnqueueOutcome>;
  /**
   * Leases up to `limit` items of one router that are due (`nextAttemptAt <= now`) and not
   * leased, oldest first (by queue order, which a retry does not change). A lease that is not
   * settled within `leaseMs` expires and the items can be leased again (a dead worker).
   */
  lease(routerId: string, limit: number, leaseMs: number): Promise<LeasedItem[]>;
  /** What a batcher needs to decide whether to send now; looks at no more than `limit` items. */
  pending(routerId: string, limit: number): Promise<PendingSummary>;
  /** Settles leased items in one transaction: ack, retry, dead-letter or release each. */
  settle(settlements: readonly Settlement[]): Promise<void>;
  /** Delivered: removes the items. */
  ack(ids: readonly string[]): Promise<void>;
  /** Failed, try again at `at` (epoch ms). Counts an attempt; the item keeps its place. */
  retry(id: string, at: number, error: string): Promise<void>;
  /** Gives up: moves the item to the dead-letter store with the reason and the LRS response. */
  deadLetter(id: string, reason: DeadLetterReason, response?: CapturedResponse): Promise<void>;
  /** Returns leased items unchanged (no attempt counted), optionally not before `at`. */
  release(ids: readonly string[], at?: number): Promise<void>;
  /**
   * An operator asks for an attempt now: the router's items that wait for a later attempt (a
   * backoff, a Retry-After) and are not leased become due now. Their attempts, first failure and
   * last error stay, so the retry budget is not reset. Returns how many were waiting.
   */
  retryNow(routerId: string): Promise<number>;
  /** Depth, oldest age and dead letters per router. */
  stats(): Promise<QueueStats>;
  /**
   * The router was deleted: removes all its items, leased or not, and its dead letters, in one
   * transaction. A worker still sending some of them settles nothing (its items are gone).
   */
  discardRouter(routerId: string): Promise<DiscardedItems>;
  /** Called after every successful enqueue with the routers that got items. */
  onEnqueue(listener: (routerIds: readonly string[]) => void): () => void;
  readonly deadLetters: DeadLetterStore;
  /** Releases resources; idempotent. Further calls reject. */
  close(): Promise<void>;
}

/** What ingest hands to the outbox: one transformed statement (xAPI) or event (Caliper) for one router. */
export interface NewQueueItem {
  routerId: string;
  /** The statement/event id; repeats of an item always carry the same id. */
  eventId: string;
  /** The Open edX event name, for logs and the dead-letter list. */
  eventName?: string;
  /** Business-critical events are retried until delivered (never expire). Default false. */
  businessCritical?: boolean;
  /** The xAPI statement or the bare Caliper event, serialised once by whoever built the item. */
  payload: JsonPayload;
}

/** An item as stored, with its retry metadata (architecture §11: metadata lives with the item). */
export interface QueueItem {
  id: string;
  routerId: string;
  eventId: string;
  eventName: string | null;
  businessCritical: boolean;
  /** As stored: request bodies are joined from its text without a parse. */
  payload: JsonPayload;
  /** Epoch ms when it entered the outbox. */
  enqueuedAt: number;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** Epoch ms before which it is not leased. */
  nextAttemptAt: number;
  lastError: string | null;
  /** Epoch ms of the first failed attempt; the retry budget is measured from here. */
  firstFailedAt: number | null;
}

/** A leased item; `leaseUntil` is epoch ms. */
export interface LeasedItem extends QueueItem {
  leaseUntil: number;
}

export interface PendingSummary {
  /** Items ready to lease, counted up to the `limit` asked for. */
  ready: number;
  /** `enqueuedAt` of the oldest of those ready items, or null when none is ready. */
  oldestReadyAt: number | null;
  /** Whether any of them failed before: it already went out once, so it does not wait for a batch to fill. */
  retrying: boolean;
}

export type Settlement =
  | { id: string; kind: 'ack' }
  | { id: string; kind: 'retry'; at: number; error: string }
  | { id: string; kind: 'dead'; reason: DeadLetterReason; response?: CapturedResponse }
  | { id: string; kind: 'release'; at?: number };

/** The part of an LRS answer worth keeping with a dead letter. */
export interface CapturedResponse {
  statusCode?: number;
  /** Response body, truncated. */
  body?: string;
  /** Transport error code (ECONNREFUSED, TIMEOUT, …) when there was no response. */
  errorCode?: string;
  message?: string;
}

export type EnqueueOutcome =
  | { ok: true; ids: string[] }
  | {
      ok: false;
      reason: 'queue_overflow';
      /** Which limit: the whole outbox or one router's share. */
      scope: 'total' | 'router';
      routerId?: string;
      depth: number;
      maxDepth: number;
    };

/** Limits every adapter takes (architecture §12: everything bounded). */
export interface QueueLimits {
  /** Items in the outbox (all routers) beyond which enqueue overflows. Default 1,000,000. */
  maxDepth?: number;
  /** Items of one router beyond which enqueue overflows. Default: no per-router limit. */
  maxDepthPerRouter?: number;
}

export interface QueueStats {
  depth: number;
  deadLetters: number;
  routers: RouterQueueStats[];
}

export interface RouterQueueStats {
  routerId: string;
  /** Items in the outbox, leased or not. */
  depth: number;
  leased: number;
  /** Items that failed at least once and wait for another attempt. */
  retrying: number;
  oldestEnqueuedAt: number | null;
  /** now − oldestEnqueuedAt, ms. */
  oldestAgeMs: number | null;
  /** Items not due yet: a backoff or a Retry-After holds them (never leased: a lease takes due items). */
  waiting: number;
  /** Epoch ms when the first of the waiting items becomes due, or null when none waits. */
  nextAttemptAt: number | null;
  deadLetters: number;
}

/** An item that delivery gave up on, kept for inspection and manual retry. */
export interface DeadLetter extends QueueItem {
  /** Delivery attempts made, the one that was refused or gave up included (so at least 1). */
  attempts: number;
  reason: DeadLetterReason;
  response: CapturedResponse | null;
  /** Epoch ms when it was dead-lettered. */
  deadAt: number;
}

/** Which dead letters an operation applies to; no field means all. */
export interface DeadLetterSelector {
  routerId?: string;
  ids?: readonly string[];
  /** Only those dead-lettered before this epoch ms. */
  before?: number;
}

export interface DeadLetterStore {
  /** Oldest first; page with `afterId`. Default limit 100. */
  list(options?: { routerId?: string; limit?: number; afterId?: string }): Promise<DeadLetter[]>;
  /** Moves dead letters back to the end of the outbox with fresh retry metadata, all or nothing. */
  retry(selector?: DeadLetterSelector): Promise<RequeueOutcome>;
  /** Deletes dead letters; returns how many. */
  purge(selector?: DeadLetterSelector): Promise<number>;
}

/** What `discardRouter` removed. */
export interface DiscardedItems {
  /** Outbox items (never delivered). */
  queued: number;
  deadLetters: number;
}

export type RequeueOutcome = { ok: true; moved: number } | Extract<EnqueueOutcome, { ok: false }>;

export const DEFAULT_MAX_DEPTH = 1_000_000;
