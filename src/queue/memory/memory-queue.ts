import type { DeadLetterReason } from '../../core/dead-letter-reason.js';
import { JsonPayload } from '../json-payload.js';
import { checkDepthLimits, countByRouter } from '../limits.js';
import { createListenerSet } from '../listeners.js';
import type {
  CapturedResponse,
  DeadLetter,
  DeadLetterSelector,
  DeliveryQueue,
  EnqueueOutcome,
  LeasedItem,
  NewQueueItem,
  PendingSummary,
  QueueLimits,
  QueueStats,
  RequeueOutcome,
  RouterQueueStats,
  Settlement,
} from '../port.js';

export interface MemoryQueueOptions extends QueueLimits {
  /** Clock in epoch ms; tests inject one to move leases and retries forward. */
  now?: () => number;
}

/** Stored form: payload kept as JSON text so that callers never share objects with the queue. */
interface Stored extends Omit<LeasedItem, 'payload'> {
  json: string;
}

interface StoredDead extends Omit<DeadLetter, 'payload'> {
  json: string;
}

/**
 * In-process adapter for tests and development. Not durable. Each router's items sit in a Map,
 * whose insertion order is the queue order: a retry updates an entry in place, so it keeps
 * its place (architecture §11).
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): DeliveryQueue {
  const now = options.now ?? Date.now;
  const routers = new Map<string, Map<string, Stored>>();
  const routerOf = new Map<string, string>();
  const dead = new Map<string, StoredDead>();
  const listeners = createListenerSet<readonly string[]>();
  let seq = 0;
  let deadSeq = 0;
  let depth = 0;
  let closed = false;

  function open(): void {
    if (closed) throw new Error('delivery queue is closed');
  }

  function routerItems(routerId: string): Map<string, Stored> {
    let items = routers.get(routerId);
    if (!items) routers.set(routerId, (items = new Map<string, Stored>()));
    return items;
  }

  function find(id: string): Stored | undefined {
    const routerId = routerOf.get(id);
    return routerId === undefined ? undefined : routers.get(routerId)?.get(id);
  }

  function remove(item: Stored): void {
    routers.get(item.routerId)?.delete(item.id);
    routerOf.delete(item.id);
    depth -= 1;
  }

  function insert(item: Omit<Stored, 'id'>): string {
    const id = String(++seq);
    routerItems(item.routerId).set(id, { ...item, id });
    routerOf.set(id, item.routerId);
    depth += 1;
    return id;
  }

  function toItem(stored: Stored): LeasedItem {
    const { json, ...rest } = stored;
    return { ...rest, payload: JsonPayload.fromText(json) };
  }

  function ready(item: Stored, at: number): boolean {
    return item.nextAttemptAt <= at && item.leaseUntil <= at;
  }

  function settleOne(s: Settlement, at: number): void {
    const item = find(s.id);
    if (!item) return; // already settled (e.g. its lease expired and another lease acked it)
    switch (s.kind) {
      case 'ack':
        remove(item);
        return;
      case 'retry':
        item.attempts += 1;
        item.nextAttemptAt = s.at;
        item.leaseUntil = 0;
        item.lastError = s.error;
        item.firstFailedAt ??= at;
        return;
      case 'release':
        item.leaseUntil = 0;
        item.nextAttemptAt = Math.max(item.nextAttemptAt, s.at ?? 0);
        return;
      case 'dead':
        moveToDead(item, s.reason, s.response ?? null, at);
        return;
    }
  }

  function moveToDead(item: Stored, reason: DeadLetterReason, response: CapturedResponse | null, at: number): void {
    remove(item);
    const { leaseUntil: _lease, id: _id, ...rest } = item;
    const id = String(++deadSeq);
    // The attempt that ended in the dead letter counts too.
    dead.set(id, { ...rest, attempts: rest.attempts + 1, id, reason, response, deadAt: at });
  }

  function selectDead(selector: DeadLetterSelector = {}): StoredDead[] {
    const ids = selector.ids ? new Set(selector.ids) : null;
    return [...dead.values()].filter(
      (d) =>
        (selector.routerId === undefined || d.routerId === selector.routerId) &&
        (ids === null || ids.has(d.id)) &&
        (selector.before === undefined || d.deadAt < selector.before),
    );
  }

  const queue: DeliveryQueue = {
    async enqueue(items: readonly NewQueueItem[]): Promise<EnqueueOutcome> {
      open();
      const adds = countByRouter(items);
      const overflow = checkDepthLimits(options, depth, (r) => routers.get(r)?.size ?? 0, adds);
      if (overflow) return overflow;
      const at = now();
      const ids = items.map((item) =>
        insert({
          routerId: item.routerId,
          eventId: item.eventId,
          eventName: item.eventName ?? null,
          businessCritical: item.businessCritical ?? false,
          json: item.payload.text,
          enqueuedAt: at,
          attempts: 0,
          nextAttemptAt: at,
          lastError: null,
          firstFailedAt: null,
          leaseUntil: 0,
        }),
      );
      if (ids.length > 0) listeners.emit([...adds.keys()]);
      return { ok: true, ids };
    },

    async lease(routerId, limit, leaseMs) {
      open();
      const at = now();
      const leased: LeasedItem[] = [];
      for (const item of routers.get(routerId)?.values() ?? []) {
        if (leased.length >= limit) break;
        if (!ready(item, at)) continue;
        item.leaseUntil = at + leaseMs;
        leased.push(toItem(item));
      }
      return leased;
    },

    async pending(routerId, limit): Promise<PendingSummary> {
      open();
      const at = now();
      let count = 0;
      let oldest: number | null = null;
      let retrying = false;
      for (const item of routers.get(routerId)?.values() ?? []) {
        if (count >= limit) break;
        if (!ready(item, at)) continue;
        count += 1;
        oldest = oldest === null ? item.enqueuedAt : Math.min(oldest, item.enqueuedAt);
        retrying ||= item.attempts > 0;
      }
      return { ready: count, oldestReadyAt: oldest, retrying };
    },

    async settle(settlements) {
      open();
      const at = now();
      for (const s of settlements) settleOne(s, at);
    },
    ack: (ids) => queue.settle(ids.map((id) => ({ id, kind: 'ack' as const }))),
    retry: (id, at, error) => queue.settle([{ id, kind: 'retry', at, error }]),
    deadLetter: (id, reason, response) => queue.settle([response ? { id, kind: 'dead', reason, response } : { id, kind: 'dead', reason }]),
    release: (ids, at) => queue.settle(ids.map((id) => (at === undefined ? { id, kind: 'release' as const } : { id, kind: 'release' as const, at }))),

    async retryNow(routerId) {
      open();
      const at = now();
      let waiting = 0;
      for (const item of routers.get(routerId)?.values() ?? []) {
        if (item.nextAttemptAt <= at || item.leaseUntil > at) continue;
        item.nextAttemptAt = at;
        waiting += 1;
      }
      return waiting;
    },

    async stats(): Promise<QueueStats> {
      open();
      const at = now();
      const byRouter = new Map<string, RouterQueueStats>();
      const entry = (routerId: string): RouterQueueStats => {
        let s = byRouter.get(routerId);
        if (!s) {
          s = { routerId, depth: 0, leased: 0, retrying: 0, oldestEnqueuedAt: null, oldestAgeMs: null, waiting: 0, nextAttemptAt: null, deadLetters: 0 };
          byRouter.set(routerId, s);
        }
        return s;
      };
      for (const [routerId, items] of routers) {
        if (items.size === 0) continue;
        const s = entry(routerId);
        for (const item of items.values()) {
          s.depth += 1;
          if (item.leaseUntil > at) s.leased += 1;
          if (item.attempts > 0) s.retrying += 1;
          if (item.nextAttemptAt > at) {
            s.waiting += 1;
            s.nextAttemptAt = s.nextAttemptAt === null ? item.nextAttemptAt : Math.min(s.nextAttemptAt, item.nextAttemptAt);
          }
          if (s.oldestEnqueuedAt === null || item.enqueuedAt < s.oldestEnqueuedAt) s.oldestEnqueuedAt = item.enqueuedAt;
        }
        s.oldestAgeMs = s.oldestEnqueuedAt === null ? null : at - s.oldestEnqueuedAt;
      }
      for (const d of dead.values()) entry(d.routerId).deadLetters += 1;
      const list = [...byRouter.values()].sort((a, b) => a.routerId.localeCompare(b.routerId));
      return { depth, deadLetters: dead.size, routers: list };
    },

    async discardRouter(routerId) {
      open();
      const queued = routers.get(routerId)?.size ?? 0;
      for (const item of [...(routers.get(routerId)?.values() ?? [])]) remove(item);
      routers.delete(routerId);
      const chosen = selectDead({ routerId });
      for (const d of chosen) dead.delete(d.id);
      return { queued, deadLetters: chosen.length };
    },

    onEnqueue: (listener) => listeners.add(listener),

    deadLetters: {
      async list(opts = {}) {
        open();
        const after = opts.afterId === undefined ? 0 : Number(opts.afterId);
        return selectDead(opts.routerId === undefined ? {} : { routerId: opts.routerId })
          .filter((d) => Number(d.id) > after)
          .slice(0, opts.limit ?? 100)
          .map(({ json, ...rest }) => ({ ...rest, payload: JsonPayload.fromText(json) }));
      },
      async retry(selector): Promise<RequeueOutcome> {
        open();
        const chosen = selectDead(selector);
        const overflow = checkDepthLimits(options, depth, (r) => routers.get(r)?.size ?? 0, countByRouter(chosen));
        if (overflow) return overflow;
        const at = now();
        for (const d of chosen) {
          dead.delete(d.id);
          insert({
            routerId: d.routerId,
            eventId: d.eventId,
            eventName: d.eventName,
            businessCritical: d.businessCritical,
            json: d.json,
            enqueuedAt: at,
            attempts: 0,
            nextAttemptAt: at,
            lastError: null,
            firstFailedAt: null,
            leaseUntil: 0,
          });
        }
        if (chosen.length > 0) listeners.emit([...new Set(chosen.map((d) => d.routerId))]);
        return { ok: true, moved: chosen.length };
      },
      async purge(selector) {
        open();
        const chosen = selectDead(selector);
        for (const d of chosen) dead.delete(d.id);
        return chosen.length;
      },
    },

    async close() {
      closed = true;
    },
  };
  return queue;
}
