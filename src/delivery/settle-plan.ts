import type { LeasedItem, Settlement } from '../queue/port.js';
import type { SentGroup } from './bisect.js';
import type { DeadLetterReason } from '../core/dead-letter-reason.js';
import type { RetryPolicy } from './retry-policy.js';
import { ABORTED } from './transport.js';

export interface SettlePlanContext {
  nowMs: number;
  policy: RetryPolicy;
  /** The worker is shutting down: aborted requests give their items back uncounted. */
  shuttingDown: boolean;
  /**
   * The destination looks down (circuit open): items that failed go back uncounted, due at the
   * next probe, so an outage spends neither their attempts nor their backoff (null: closed).
   */
  holdUntil?: number | null;
  /** Source of the jitter drawn once per failed request. Default Math.random. */
  random?: () => number;
  /** Items dropped by dedupe.ts: another statement of the batch has their id. */
  conflicting?: readonly LeasedItem[];
}

/** The dead-letter response of an item whose id another statement of its batch has. */
const SAME_BATCH_CONFLICT = {
  message: 'another statement with the same id, but different content, was in the same batch; that one was sent',
};

/** What to write to the queue for one sent batch, and what to report and change. */
export interface SettlePlan {
  settlements: Settlement[];
  delivered: LeasedItem[];
  retried: { item: LeasedItem; retryInMs: number; error: string }[];
  dead: { item: LeasedItem; reason: DeadLetterReason; error: string }[];
  released: LeasedItem[];
  lastError: string | null;
}

/**
 * Turns the outcomes of a (bisected) batch into one settlement per item. Pure: the worker
 * writes `settlements` in one transaction and reports the rest. Repeats of an event id
 * (see dedupe.ts) share the settlement kind of the item that was sent.
 */
export function planSettlements(groups: readonly SentGroup<LeasedItem>[], repeatsOf: ReadonlyMap<string, LeasedItem[]>, ctx: SettlePlanContext): SettlePlan {
  const plan: SettlePlan = {
    settlements: [],
    delivered: [],
    retried: [],
    dead: [],
    released: [],
    lastError: null,
  };
  for (const item of ctx.conflicting ?? []) {
    plan.settlements.push({ id: item.id, kind: 'dead', reason: 'conflict', response: SAME_BATCH_CONFLICT });
    plan.dead.push({ item, reason: 'conflict', error: `id ${item.eventId} used by another statement of the batch` });
  }

  for (const group of groups) {
    const { outcome } = group;
    const items = group.items.flatMap((item) => [item, ...(repeatsOf.get(item.id) ?? [])]);
    if (outcome.status === 'delivered' && outcome.alreadyStored === true) {
      // xAPI 409 for a single statement (bisect.ts split the batch): the LRS holds a different
      // statement with this id. Not delivered; kept findable as a dead letter.
      for (const item of items) {
        plan.settlements.push({ id: item.id, kind: 'dead', reason: 'conflict', response: outcome.response ?? { statusCode: 409 } });
        plan.dead.push({ item, reason: 'conflict', error: `HTTP 409: the LRS holds another statement with id ${item.eventId}` });
      }
      continue;
    }
    if (outcome.status === 'delivered') {
      for (const item of items) plan.settlements.push({ id: item.id, kind: 'ack' });
      plan.delivered.push(...items);
      continue;
    }
    plan.lastError = outcome.error;
    if (outcome.status === 'rejected' && outcome.unhealthy) {
      // Wrong credentials are the router's fault, not the statements': keep them, uncounted,
      // and pause the router instead (new credentials end the pause at once).
      for (const item of items) plan.settlements.push({ id: item.id, kind: 'release' });
      plan.released.push(...items);
      continue;
    }
    if (outcome.status === 'rejected') {
      for (const item of items) {
        plan.settlements.push({ id: item.id, kind: 'dead', reason: 'lrs_rejected', response: outcome.response });
        plan.dead.push({ item, reason: 'lrs_rejected', error: outcome.error });
      }
      continue;
    }
    if (ctx.shuttingDown && outcome.response.errorCode === ABORTED) {
      for (const item of items) plan.settlements.push({ id: item.id, kind: 'release' });
      plan.released.push(...items);
      continue;
    }
    if (ctx.holdUntil != null && outcome.response.statusCode !== 429) {
      for (const item of items) plan.settlements.push({ id: item.id, kind: 'release', at: ctx.holdUntil });
      plan.released.push(...items);
      continue;
    }
    // One jitter draw per failed request: its statements that failed as often get one retry time,
    // so they go out again as one batch instead of scattering into many small requests. One
    // that failed more often backs off further, away from the others.
    const sample = (ctx.random ?? Math.random)();
    for (const item of items) {
      const elapsedMs = item.firstFailedAt === null ? 0 : ctx.nowMs - item.firstFailedAt;
      const decision = ctx.policy(item.attempts + 1, outcome, elapsedMs, item, sample);
      if ('giveUp' in decision) {
        plan.settlements.push({ id: item.id, kind: 'dead', reason: 'retries_exhausted', response: outcome.response });
        plan.dead.push({ item, reason: 'retries_exhausted', error: outcome.error });
        continue;
      }
      const at = ctx.nowMs + decision.retryInMs;
      plan.settlements.push({ id: item.id, kind: 'retry', at, error: outcome.error });
      plan.retried.push({ item, retryInMs: decision.retryInMs, error: outcome.error });
    }
  }
  return plan;
}
