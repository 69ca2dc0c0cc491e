import type { IdentityMetrics } from './metrics.js';
import { runChain } from './provider-chain.js';
import type { CourseInfo, CourseProvider } from './providers.js';
import { READY, retryLater, type ResolveOutcome } from './resolve-outcome.js';
import type { TtlCache } from './ttl-cache.js';

/** A cached course: its display name, or null when unknown or unnamed (the transformer falls back). */
export type CachedCourse = string | null;

/** The outcome for one course, and what it resolved to (undefined when it must be retried). */
export interface CourseResolution {
  readonly outcome: ResolveOutcome;
  readonly value: CachedCourse | undefined;
}

export interface CourseResolverOptions {
  readonly providers: readonly CourseProvider[];
  readonly cache: TtlCache<CachedCourse>;
  readonly ttlMs: number;
  readonly negativeTtlMs: number;
  readonly retryAfterMs: number;
  readonly metrics: IdentityMetrics;
}

/** Resolves course display names into the cache, as `UserResolver` does users. */
export class CourseResolver {
  private readonly inflight = new Map<string, Promise<CourseResolution>>();

  constructor(private readonly options: CourseResolverOptions) {}

  async resolve(courseIds: readonly string[]): Promise<Map<string, CourseResolution>> {
    const { cache, metrics } = this.options;
    const result = new Map<string, CourseResolution>();
    const seen = new Map<string, boolean>();
    const waits: Array<[string, Promise<CourseResolution>]> = [];
    const misses: string[] = [];
    for (const courseId of courseIds) {
      const hit = seen.get(courseId);
      if (hit !== undefined) {
        if (hit) metrics.cacheHit('course');
        else metrics.cacheMiss('course');
        continue;
      }
      const cached = cache.get(courseId);
      seen.set(courseId, cached !== undefined);
      if (cached !== undefined) {
        metrics.cacheHit('course');
        result.set(courseId, { outcome: READY, value: cached });
        continue;
      }
      metrics.cacheMiss('course');
      const pending = this.inflight.get(courseId);
      if (pending !== undefined) waits.push([courseId, pending]);
      else misses.push(courseId);
    }
    if (misses.length > 0) {
      const batch = this.fetch(misses).catch((error: unknown) => {
        const reason = `course lookup failed: ${error instanceof Error ? error.message : String(error)}`;
        return new Map(misses.map((id) => [id, retry(reason, this.options.retryAfterMs)]));
      });
      for (const courseId of misses) {
        const one = batch.then((m) => m.get(courseId) ?? { outcome: READY, value: undefined });
        this.inflight.set(courseId, one);
        waits.push([courseId, one]);
      }
      void batch.then(() => {
        for (const courseId of misses) this.inflight.delete(courseId);
      });
    }
    for (const [courseId, promise] of waits) result.set(courseId, await promise);
    return result;
  }

  private async fetch(courseIds: readonly string[]): Promise<Map<string, CourseResolution>> {
    const { cache, metrics } = this.options;
    const chain = await runChain<string, CourseInfo>(
      this.options.providers.map((p) => ({ name: p.name, ask: (ids: readonly string[]) => p.findCourses(ids) })),
      courseIds,
      {
        textOf: (id) => id,
        merge: (previous, next) => previous ?? next,
        complete: (info) => info !== undefined,
        onProviderError: (name) => metrics.providerError(name),
      },
    );
    const outcomes = new Map<string, CourseResolution>();
    for (const courseId of courseIds) {
      const uncertain = chain.uncertain.get(courseId);
      if (uncertain !== undefined) {
        outcomes.set(courseId, retry(uncertain, this.options.retryAfterMs));
        continue;
      }
      const info = chain.merged.get(courseId);
      const value = info === undefined ? null : info.displayName;
      cache.set(courseId, value, info === undefined ? this.options.negativeTtlMs : this.options.ttlMs);
      outcomes.set(courseId, { outcome: READY, value });
    }
    return outcomes;
  }
}

function retry(reason: string, retryAfterMs: number): CourseResolution {
  return { outcome: retryLater(reason, retryAfterMs), value: undefined };
}
