import type { RouterRows } from './router-rows.js';

/** The four figures the overview charts, at one moment: counters since start, and the queue. */
export interface ChartPoint {
  readonly received: number;
  readonly delivered: number;
  readonly failed: number;
  readonly queued: number;
}

export interface HistorySample {
  readonly at: number;
  readonly total: ChartPoint;
  readonly routers: Readonly<Record<string, ChartPoint>>;
}

export const CHART_FIELDS = ['received', 'delivered', 'queued', 'failed'] as const;
export type ChartField = (typeof CHART_FIELDS)[number];

/**
 * The last hour of the overview's figures, sampled in memory (nothing stored: a restart starts a
 * new hour, as the counters do). Charts need a line, not a time-series database.
 */
export interface History {
  add(rows: RouterRows, at: number): void;
  /** The samples of the window ending at `at`, oldest first. */
  samples(at: number): HistorySample[];
}

export function sampleOf(rows: RouterRows, at: number): HistorySample {
  const point = (r: { received: number; delivered: number; failed: number; depth: number }): ChartPoint => ({
    received: r.received,
    delivered: r.delivered,
    failed: r.failed,
    queued: r.depth,
  });
  return { at, total: point(rows.totals), routers: Object.fromEntries(rows.rows.map((row) => [row.id, point(row)])) };
}

export function createHistory(windowMs: number): History {
  let kept: HistorySample[] = [];
  return {
    add(rows, at) {
      kept.push(sampleOf(rows, at));
      kept = kept.filter((s) => s.at > at - windowMs);
    },
    samples: (at) => kept.filter((s) => s.at > at - windowMs && s.at <= at),
  };
}

/**
 * One field's line over the samples: queued as it was (a level), the counters as the change since
 * the sample before (what happened in each interval), so a line reads as activity.
 */
export function lineOf(samples: readonly HistorySample[], field: ChartField, pick: (s: HistorySample) => ChartPoint | undefined): number[] {
  const values = samples.map((s) => pick(s)?.[field] ?? 0);
  if (field === 'queued') return values;
  return values.slice(1).map((v, i) => Math.max(0, v - (values[i] ?? 0)));
}
