/**
 * At most one log line per key every `intervalMs`, carrying how many occurrences it stands for,
 * so that a steady stream of the same warning (a conflict in every batch) neither floods the log
 * nor goes unseen.
 */
export function createLogThrottle(intervalMs: number, now: () => number = Date.now) {
  const state = new Map<string, { lastAt: number; pending: number }>();
  return {
    /** Counts `count` occurrences; returns the total to log now, or null to stay quiet. */
    take(key: string, count = 1): number | null {
      const at = now();
      const entry = state.get(key) ?? { lastAt: Number.NEGATIVE_INFINITY, pending: 0 };
      entry.pending += count;
      state.set(key, entry);
      if (at - entry.lastAt < intervalMs) return null;
      const total = entry.pending;
      entry.lastAt = at;
      entry.pending = 0;
      return total;
    },
  };
}
