import { randomUUID } from 'node:crypto';

/**
 * The leases this instance holds: item id → the token written with the lease. A settle sends the
 * token along, so it applies only while the lease is still this instance's (statements.ts).
 *
 * Entries of expired leases can be dropped without loss: once a lease has expired, a settle
 * without a token applies under exactly the same condition (no valid lease on the row), so the
 * map only has to be right for valid leases. Dropping them bounds the map when a worker dies
 * without settling.
 */
export interface LeaseTokens {
  /** A fresh token for one lease call. */
  next(): string;
  remember(ids: readonly string[], token: string, leaseUntil: number): void;
  /** The token for `id`, or null when this instance holds no lease on it. */
  get(id: string): string | null;
  /** Settled: the leases are over. (Kept until then, so a settle that failed can be tried again.) */
  forget(ids: readonly string[]): void;
  readonly size: number;
}

const PRUNE_ABOVE = 100_000;

export function createLeaseTokens(now: () => number): LeaseTokens {
  const held = new Map<string, { token: string; until: number }>();
  const prefix = randomUUID().slice(0, 8);
  let counter = 0;

  function prune(): void {
    const at = now();
    for (const [id, lease] of held) if (lease.until <= at) held.delete(id);
  }

  return {
    // Unique across instances (random prefix) and within one (counter); short, as it is stored per row.
    next: () => `${prefix}.${(++counter).toString(36)}`,
    remember(ids, token, leaseUntil) {
      if (held.size + ids.length > PRUNE_ABOVE) prune();
      for (const id of ids) held.set(id, { token, until: leaseUntil });
    },
    get: (id) => held.get(id)?.token ?? null,
    forget(ids) {
      for (const id of ids) held.delete(id);
    },
    get size() {
      return held.size;
    },
  };
}
