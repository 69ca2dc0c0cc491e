/** What is counted; the lead maps these onto prom-client counters (see docs/identity.md). */
export type LookupTarget = 'user' | 'course';

/**
 * Injected counters. Suggested Prometheus names:
 * `edx_event_router_identity_cache_hits_total{target}`, `…_cache_misses_total{target}`,
 * `…_identity_provider_errors_total{provider}`, `…_identity_minted_total{kind}`.
 */
export interface IdentityMetrics {
  cacheHit(target: LookupTarget): void;
  cacheMiss(target: LookupTarget): void;
  providerError(provider: string): void;
  minted(kind: string): void;
}

export const NOOP_IDENTITY_METRICS: IdentityMetrics = {
  cacheHit() {},
  cacheMiss() {},
  providerError() {},
  minted() {},
};

/** Plain counters, for tests and the benchmark. */
export interface CountingIdentityMetrics extends IdentityMetrics {
  readonly counts: {
    hits: Record<LookupTarget, number>;
    misses: Record<LookupTarget, number>;
    providerErrors: Record<string, number>;
    minted: Record<string, number>;
  };
}

export function createCountingMetrics(): CountingIdentityMetrics {
  const counts = {
    hits: { user: 0, course: 0 },
    misses: { user: 0, course: 0 },
    providerErrors: {} as Record<string, number>,
    minted: {} as Record<string, number>,
  };
  return {
    counts,
    cacheHit: (target) => void counts.hits[target]++,
    cacheMiss: (target) => void counts.misses[target]++,
    providerError: (provider) => void (counts.providerErrors[provider] = (counts.providerErrors[provider] ?? 0) + 1),
    minted: (kind) => void (counts.minted[kind] = (counts.minted[kind] ?? 0) + 1),
  };
}
