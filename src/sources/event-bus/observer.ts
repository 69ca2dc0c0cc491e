import type { PoisonReason } from './poison.js';

/** Where a consumer failed transiently; every such failure is retried. */
export type BusFailureStage = 'connect' | 'read' | 'claim' | 'decode' | 'sink' | 'dead_letter' | 'ack' | 'lag' | 'client';

/** Consumer lag, as far as the bus tells it. */
export interface BusLag {
  /** Entries/messages not yet delivered to the group (Redis 7 `XINFO GROUPS` lag, Kafka offset lag). */
  undelivered?: number;
  /** Delivered but not acknowledged (Redis pending entries list of the group). */
  pending?: number;
  /** Kafka only: the partition the figure is for. */
  partition?: number;
}

/**
 * What a bus consumer reports. Implementations feed metrics and logs; they must not throw
 * (a throwing observer would break the consumer loop, so consumers call it through `safely`).
 */
export interface BusObserver {
  /** Messages read from the bus (including redeliveries and poison). */
  received(count: number): void;
  /** Messages acknowledged upstream after the sink or dead-letter handler stored them. */
  acked(count: number): void;
  /** Messages dead-lettered, by reason. */
  poison(reason: PoisonReason, count: number): void;
  /** Messages taken over from another (dead) consumer (Redis XAUTOCLAIM). */
  reclaimed(count: number): void;
  lag(lag: BusLag): void;
  /** A transient failure; the consumer backs off and retries. */
  failure(stage: BusFailureStage, error: unknown): void;
}

export const noopBusObserver: BusObserver = {
  received() {},
  acked() {},
  poison() {},
  reclaimed() {},
  lag() {},
  failure() {},
};

/** Counts everything; used by the CLI and tests. */
export interface BusCounters {
  received: number;
  acked: number;
  reclaimed: number;
  poison: Partial<Record<PoisonReason, number>>;
  failures: Array<{ stage: BusFailureStage; message: string }>;
  lastLag?: BusLag;
}

export function createCountingObserver(): BusObserver & { counters: BusCounters } {
  const counters: BusCounters = { received: 0, acked: 0, reclaimed: 0, poison: {}, failures: [] };
  return {
    counters,
    received: (n) => void (counters.received += n),
    acked: (n) => void (counters.acked += n),
    reclaimed: (n) => void (counters.reclaimed += n),
    poison: (reason, n) => void (counters.poison[reason] = (counters.poison[reason] ?? 0) + n),
    lag: (lag) => void (counters.lastLag = lag),
    failure: (stage, error) => {
      // Keep the list bounded: a long outage reports a failure per retry.
      if (counters.failures.length >= 100) counters.failures.shift();
      counters.failures.push({ stage, message: error instanceof Error ? error.message : String(error) });
    },
  };
}

/** Calls an observer method, swallowing anything it throws. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // An observer bug must not stop consumption.
  }
}
