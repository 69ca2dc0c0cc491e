/** Counts of one router since the service started. */
export interface RouterCounters {
  routerId: string;
  /** Items the pipeline put into this router's outbox. */
  queued: number;
  delivered: number;
  /** Items scheduled for another attempt. */
  retried: number;
  deadLettered: number;
  /** Statements of requests that failed (refused, unauthorized, unreachable, …), retried or not. */
  failed: number;
  /** Epoch ms of the last delivery, or null. */
  lastDeliveredAt: number | null;
  /** The last retry or dead-letter error, or null. */
  lastError: string | null;
  lastErrorAt: number | null;
}

/** A copy of every router's counters (plain data, safe to hand out). */
export interface DeliveryCountersSnapshot {
  /** Epoch ms the counting started (service start). */
  since: number;
  routers: RouterCounters[];
}

/**
 * Per-router counters kept as plain numbers beside the Prometheus metrics, for the admin page
 * (registerAdminUi) and the admin API, which need a value per router without parsing /metrics.
 */
export interface DeliveryCounters {
  queued(routerId: string, n: number): void;
  delivered(routerId: string, n: number): void;
  retried(routerId: string, n: number, error: string): void;
  deadLettered(routerId: string, n: number, error: string): void;
  failed(routerId: string, n: number): void;
  snapshot(): DeliveryCountersSnapshot;
}

export function createDeliveryCounters(now: () => number = Date.now): DeliveryCounters {
  const since = now();
  const routers = new Map<string, RouterCounters>();
  const of = (routerId: string): RouterCounters => {
    let entry = routers.get(routerId);
    if (entry === undefined) {
      entry = { routerId, queued: 0, delivered: 0, retried: 0, deadLettered: 0, failed: 0, lastDeliveredAt: null, lastError: null, lastErrorAt: null };
      routers.set(routerId, entry);
    }
    return entry;
  };
  return {
    queued: (routerId, n) => void (of(routerId).queued += n),
    delivered(routerId, n) {
      const entry = of(routerId);
      entry.delivered += n;
      entry.lastDeliveredAt = now();
    },
    retried(routerId, n, error) {
      const entry = of(routerId);
      entry.retried += n;
      entry.lastError = error;
      entry.lastErrorAt = now();
    },
    deadLettered(routerId, n, error) {
      const entry = of(routerId);
      entry.deadLettered += n;
      entry.lastError = error;
      entry.lastErrorAt = now();
    },
    failed: (routerId, n) => void (of(routerId).failed += n),
    snapshot: () => ({ since, routers: [...routers.values()].map((entry) => ({ ...entry })) }),
  };
}
