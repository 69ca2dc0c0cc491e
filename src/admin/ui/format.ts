import type { HealthState, RouterRow, RouterRows } from './router-rows.js';

/** Display formats, shared by the server-rendered pages and the live JSON so both read the same. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "—", "850 ms", "12 s", "4 min", "3 h 05 min", "2 d 4 h". */
export function formatAge(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "2025-01-31 14:05:09 UTC": unambiguous for operators in any time zone. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const HEALTH_LABELS: Readonly<Record<HealthState, string>> = {
  healthy: 'Healthy',
  circuit_open: 'Circuit open',
  rate_limited: 'Rate limited',
  unauthorized: 'Unauthorized',
  disabled: 'Disabled',
  stopped: 'Stopped',
  unknown: 'Unknown',
};

/** The cells that refresh on their own, keyed by the `data-live` name they carry in the page. */
export function liveCells(row: RouterRow): Record<string, string> {
  return {
    received: formatCount(row.received),
    delivered: formatCount(row.delivered),
    retried: formatCount(row.retried),
    deadLettered: formatCount(row.deadLettered),
    failed: formatCount(row.failed),
    nextAttempt: nextAttempt(row),
    depth: formatCount(row.depth),
    oldestAge: formatAge(row.oldestAgeMs),
    deadLetters: formatCount(row.deadLetters),
    health: HEALTH_LABELS[row.health],
    lastError: row.lastError ?? '—',
  };
}

/**
 * When delivery tries again; the wording tells a down LRS (probes) from one that asked for time.
 * Waits last seconds to minutes (a probe interval, a backoff, a Retry-After of 10 minutes at
 * most), so the time of day is enough, and it keeps the health column narrow.
 */
function nextAttempt(row: RouterRow): string {
  const at = row.pausedUntil === null ? undefined : `${new Date(row.pausedUntil).toISOString().slice(11, 19)}\u00a0UTC`;
  if (row.health === 'circuit_open') return at === undefined ? 'probing, one request at a time' : `next probe ${at}`;
  if (at === undefined) return '';
  return row.health === 'rate_limited' ? `LRS asked to wait until ${at}` : `next attempt ${at}`;
}

export function liveTotals(rows: RouterRows): Record<string, string> {
  const { totals } = rows;
  return {
    received: formatCount(totals.received),
    delivered: formatCount(totals.delivered),
    retried: formatCount(totals.retried),
    deadLettered: formatCount(totals.deadLettered),
    depth: formatCount(totals.depth),
    deadLetters: formatCount(totals.deadLetters),
  };
}
