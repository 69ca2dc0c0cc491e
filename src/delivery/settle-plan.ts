import type { LeasedItem, Settlement } from '../queue/port.js';
import type { SentGroup } from './bisect.js';
import type { DeadLetterReason } from './dead-letter-reason.js';
import type { RetryableOutcome, RetryPolicy } from './retry-policy.js';
import { ABORTED } from './transport.js';

export interface SettlePlanContext {
  nowMs: number;
  policy: RetryPolicy;
  /** The worker is shutting down: aborted requests give their items back uncounted. */
  shuttingDown: boolean;
}

/** What to write to the queue for one sent batch, and what to report and change. */
export interface SettlePlan {
  settlements: Settlement[];
  delivered: LeasedItem[];
  retried: { item: LeasedItem; retryInMs: number; error: string }[];
  dead: { item: LeasedItem; reason: DeadLetterReason; error: string }[];
  released: LeasedItem[];
  /** The destination failed (retryable): the worker counts it towards pausing the router. */
  failure: RetryableOutcome | null;
  /** The destination answered 401: the worker pauses the router until new credentials. */
  unauthorized: boolean;
  lastError: string | null;
}

/**
 * Turns the outcomes of a (bisected) batch into one settlement per item. Pure: the worker
 * writes `settlements` in one transaction and reports the rest. Repeats of an event id
 * (see dedupe.ts) share the settlement kind of the item that was sent.
 */
export function planSettlements(
  groups: readonly SentGroup<LeasedItem>[],
  repeatsOf: ReadonlyMap<string, LeasedItem[]>,
  ctx: SettlePlanContext,
): SettlePlan {
  const plan: SettlePlan = {
    settlements: [],
    delivered: [],
    retried: [],
    dead: [],
    released: [],
    failure: null,
    unauthorized: false,
    lastError: null,
  };

  for (const group of groups) {
    const { outcome } = group;
    const items = group.items.flatMap((item) => [item, ...(repeatsOf.get(item.id) ?? [])]);
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
      plan.unauthorized = true;
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
    plan.failure ??= outcome;
    for (const item of items) {
      const elapsedMs = item.firstFailedAt === null ? 0 : ctx.nowMs - item.firstFailedAt;
      const decision = ctx.policy(item.attempts + 1, outcome, elapsedMs, item);
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
