import type { IdentityMetrics, LookupTarget } from '../identity/metrics.js';
import type { IdentityCountDelta } from './thread-messages.js';

/** IdentityMetrics that add up in memory, for a pipeline thread to ship to the main thread. */
export interface IdentityCountBuffer {
  readonly metrics: IdentityMetrics;
  /** Returns the counts since the last call, or undefined when there were none. */
  take(): IdentityCountDelta | undefined;
}

export function createIdentityCountBuffer(): IdentityCountBuffer {
  let delta = empty();
  let any = false;
  const bump = (record: Record<string, number>, key: string): void => {
    record[key] = (record[key] ?? 0) + 1;
    any = true;
  };
  return {
    metrics: {
      cacheHit: (target: LookupTarget) => bump(delta.hits, target),
      cacheMiss: (target: LookupTarget) => bump(delta.misses, target),
      providerError: (provider) => bump(delta.providerErrors, provider),
      minted: (kind) => bump(delta.minted, kind),
    },
    take() {
      if (!any) return undefined;
      const taken = delta;
      delta = empty();
      any = false;
      return taken;
    },
  };
}

function empty(): IdentityCountDelta {
  return { hits: {}, misses: {}, providerErrors: {}, minted: {} };
}
