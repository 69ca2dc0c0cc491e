import type { RouterHealth } from '../../delivery/observer.js';
import type { RouterQueueStats } from '../../queue/port.js';
import type { JsonObject } from '../../core/event.js';
import type { Backend, StoredRouter } from '../../routers/types.js';
import { ZERO_COUNTERS, type RouterCounters } from './counters.js';
import type { AdminUiDeps } from './deps.js';

export type HealthState = RouterHealth['state'] | 'unknown';

/** One router as the overview and the list show it: configuration, outbox and counters joined. */
export interface RouterRow extends RouterCounters {
  readonly id: string;
  /** undefined for a deleted router that still has items in the outbox. */
  readonly backend: Backend | undefined;
  readonly routeUrl: string | undefined;
  readonly enabled: boolean;
  readonly health: HealthState;
  readonly lastError: string | null;
  /**
   * Epoch ms of the next attempt while delivery waits, or null: the router's own wait (a
   * Retry-After, the next probe of an open circuit, a 401 hold) or, when every queued statement
   * waits for its retry, the first of them, whichever is later.
   */
  readonly pausedUntil: number | null;
  /** The router's `match_params` as compact JSON, or null when it takes every event. */
  readonly matchParams: string | null;
  readonly depth: number;
  /** Queued items that failed before and wait for another attempt (or are being sent again). */
  readonly retrying: number;
  readonly oldestAgeMs: number | null;
  readonly deadLetters: number;
}

export interface RouterRows {
  readonly rows: RouterRow[];
  readonly totals: RouterCounters & { depth: number; deadLetters: number };
  /** Epoch ms since when the counters count. */
  readonly since: number;
}

/** Reads store, outbox, health and counters once; rows in store order, deleted routers last. */
export async function loadRouterRows(deps: AdminUiDeps): Promise<RouterRows> {
  const [routers, stats, counters] = await Promise.all([deps.routers.list(), deps.queue.stats(), deps.counters()]);
  const health = new Map((deps.health?.() ?? []).map((h) => [h.routerId, h]));
  const queued = new Map<string, RouterQueueStats>(stats.routers.map((s) => [s.routerId, s]));
  const row = (id: string, config: Pick<StoredRouter, 'backend' | 'routeUrl' | 'enabled' | 'configurations'> | undefined): RouterRow => {
    const q = queued.get(id);
    const h = health.get(id);
    return {
      id,
      backend: config?.backend,
      routeUrl: config?.routeUrl,
      enabled: config?.enabled ?? false,
      health: h?.state ?? (config !== undefined && !config.enabled ? 'disabled' : 'unknown'),
      lastError: h?.lastError ?? null,
      pausedUntil: nextAttemptOf(h, q),
      matchParams: matchParamsOf(config?.configurations ?? null),
      depth: q?.depth ?? 0,
      retrying: q?.retrying ?? 0,
      oldestAgeMs: q?.oldestAgeMs ?? null,
      deadLetters: q?.deadLetters ?? 0,
      ...(counters.routers[id] ?? ZERO_COUNTERS),
    };
  };
  const rows = routers.map((r) => row(r.id, r));
  const known = new Set(routers.map((r) => r.id));
  const orphans = new Set([...queued.keys(), ...Object.keys(counters.routers)].filter((id) => !known.has(id)));
  rows.push(...[...orphans].sort().map((id) => row(id, undefined)));
  const sum = (field: keyof RouterCounters | 'depth' | 'deadLetters'): number => rows.reduce((n, r) => n + r[field], 0);
  return {
    rows,
    since: counters.since,
    totals: {
      received: sum('received'),
      delivered: sum('delivered'),
      retried: sum('retried'),
      deadLettered: sum('deadLettered'),
      failed: sum('failed'),
      depth: stats.depth,
      deadLetters: stats.deadLetters,
    },
  };
}

/** The router's wait, or its statements' when they all wait for a retry: nothing goes out before both end. */
function nextAttemptOf(health: RouterHealth | undefined, queued: RouterQueueStats | undefined): number | null {
  const router = health?.pausedUntil ?? null;
  const items = queued !== undefined && queued.waiting > 0 && queued.waiting === queued.depth ? queued.nextAttemptAt : null;
  if (router === null || items === null) return router ?? items;
  return Math.max(router, items);
}

function matchParamsOf(configurations: JsonObject | null): string | null {
  const match = configurations?.['match_params'];
  return match === undefined || match === null ? null : JSON.stringify(match);
}
