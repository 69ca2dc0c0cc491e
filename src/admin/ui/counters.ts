import type { DeliveryObserver } from '../../delivery/observer.js';

/** Per-router counts since the service started, as the overview shows them. */
export interface RouterCounters {
  /** Items accepted into the outbox for this router (transformed events). */
  readonly received: number;
  /** Statements the destination acknowledged. */
  readonly delivered: number;
  /** Failed attempts that will be tried again. */
  readonly retried: number;
  /** Statements given up on (moved to the dead letters). */
  readonly deadLettered: number;
  /** Statements of requests that failed (refused, unauthorized, unreachable, …), retried or not. */
  readonly failed: number;
}

/** What `AdminUiDeps.counters()` returns; routers without counts may be left out. */
export interface CountersSnapshot {
  readonly routers: Readonly<Record<string, RouterCounters>>;
  /** Epoch ms at which counting began (the service start). */
  readonly since: number;
}

export const ZERO_COUNTERS: RouterCounters = Object.freeze({ received: 0, delivered: 0, retried: 0, deadLettered: 0, failed: 0 });

/**
 * A ready-made source of counters for the composition root: pass `observer` to delivery
 * (beside the metrics observer) and call `received` after each successful enqueue.
 */
export interface DeliveryCounters {
  readonly observer: DeliveryObserver;
  received(items: readonly { routerId: string }[]): void;
  snapshot(): CountersSnapshot;
}

export function createDeliveryCounters(now: () => number = Date.now): DeliveryCounters {
  const since = now();
  const routers = new Map<string, { -readonly [K in keyof RouterCounters]: number }>();
  const entry = (routerId: string) => {
    let counts = routers.get(routerId);
    if (counts === undefined) routers.set(routerId, (counts = { ...ZERO_COUNTERS }));
    return counts;
  };
  return {
    observer: {
      record(event) {
        if (event.type === 'delivered') entry(event.routerId).delivered += event.count;
        else if (event.type === 'retried') entry(event.routerId).retried += event.count;
        else if (event.type === 'dead_lettered') entry(event.routerId).deadLettered += event.count;
        else if (event.type === 'response' && event.status !== 'delivered') entry(event.routerId).failed += event.statements;
      },
    },
    received(items) {
      for (const item of items) entry(item.routerId).received += 1;
    },
    snapshot: () => ({ since, routers: Object.fromEntries([...routers].map(([id, counts]) => [id, { ...counts }])) }),
  };
}
