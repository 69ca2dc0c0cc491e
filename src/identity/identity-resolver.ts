import type { OpenEdxEvent } from '../core/event.js';
import type { IdentityKind, Lookups } from '../transforms/shared/lookups.js';
import { CourseResolver, type CachedCourse } from './course-resolver.js';
import { eventNeeds, type EventNeeds } from './event-needs.js';
import { mintExternalId } from '../transforms/shared/external-id.js';
import type { LocalIdentityStore } from './local-store-port.js';
import { NOOP_IDENTITY_METRICS, type IdentityMetrics } from './metrics.js';
import type { CourseProvider, UserProvider } from './providers.js';
import { combineOutcomes, READY, type ResolveOutcome } from './resolve-outcome.js';
import { DEFAULT_CACHE_OPTIONS, DEFAULT_RETRY_AFTER_MS, type IdentityCacheOptions, type MissingIdPolicy } from './settings.js';
import { TtlCache } from './ttl-cache.js';
import { UserResolver, type CachedUser } from './user-resolver.js';

export interface IdentityResolverOptions {
  /** In chain order; the first answer wins. */
  readonly userProviders: readonly UserProvider[];
  readonly courseProviders: readonly CourseProvider[];
  /** Anonymous-id kinds the enabled backends need (`xapi` only with XAPI_AGENT_IFI_TYPE=external_id). */
  readonly kinds: readonly IdentityKind[];
  /** True when xAPI actors are mbox/mbox_sha1sum: the email is then needed. Default false. */
  readonly needEmail?: boolean;
  readonly missingIdPolicy: MissingIdPolicy;
  /** Where minted ids are kept; required by the `mint` policy. */
  readonly store?: LocalIdentityStore;
  readonly cache?: Partial<IdentityCacheOptions>;
  /** Default 30 000 ms. */
  readonly retryAfterMs?: number;
  readonly metrics?: IdentityMetrics;
  /** Clock in ms for the cache; `Date.now` by default. */
  readonly now?: () => number;
  /** Mints a new anonymous id; uuid4 by default. */
  readonly mintId?: () => string;
}

/** The result of resolving a batch of events. */
export interface ResolvedBatch {
  /** One per event, in order. */
  readonly outcomes: readonly ResolveOutcome[];
  /** True when every outcome is ready. */
  readonly ready: boolean;
  /** Lookups pinned to what this batch resolved (immune to cache eviction); pass to the transformers. */
  readonly lookups: Lookups;
}

/**
 * The step before transform: `resolve(events)` prefetches every user and course the events name
 * into the cache, and `lookups` reads the cache synchronously for the transformers.
 */
export interface IdentityResolver {
  resolve(events: readonly OpenEdxEvent[]): Promise<ResolvedBatch>;
  /** The whole cache as `Lookups` (expired entries included); undefined for what was never resolved. */
  readonly lookups: Lookups;
  /** Forget everything cached (e.g. after `identities import`). */
  clear(): void;
  /** Closes every provider (database pools). Idempotent. */
  shutdown(): Promise<void>;
}

export function createIdentityResolver(options: IdentityResolverOptions): IdentityResolver {
  const cacheOptions = { ...DEFAULT_CACHE_OPTIONS, ...options.cache };
  const metrics = options.metrics ?? NOOP_IDENTITY_METRICS;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const now = options.now ?? Date.now;
  const userCache = new TtlCache<CachedUser>({ maxEntries: cacheOptions.maxEntries, now });
  const courseCache = new TtlCache<CachedCourse>({ maxEntries: cacheOptions.maxEntries, now });
  const ttl = { ttlMs: cacheOptions.ttlMs, negativeTtlMs: cacheOptions.negativeTtlMs, retryAfterMs, metrics };
  const users = new UserResolver({
    ...ttl,
    providers: options.userProviders,
    kinds: options.kinds,
    needEmail: options.needEmail ?? false,
    policy: options.missingIdPolicy,
    store: options.store,
    cache: userCache,
    mintId: options.mintId ?? mintExternalId,
  });
  const courses = new CourseResolver({ ...ttl, providers: options.courseProviders, cache: courseCache });
  const cacheLookups = lookupsOver(
    (user) => userCache.peek(user),
    (courseId) => courseCache.peek(courseId),
  );
  let closing: Promise<void> | undefined;

  return {
    lookups: cacheLookups,
    async resolve(events) {
      const needs: EventNeeds[] = events.map(eventNeeds);
      const userTexts = needs.flatMap((n) => (n.user !== undefined ? [n.user] : []));
      const courseIds = needs.flatMap((n) => (n.courseId !== undefined ? [n.courseId] : []));
      const [userOutcomes, courseOutcomes] = await Promise.all([users.resolve(userTexts), courses.resolve(courseIds)]);
      const outcomes = needs.map((n) => {
        const user = n.user !== undefined ? (userOutcomes.get(n.user)?.outcome ?? READY) : READY;
        const course = n.courseId !== undefined ? (courseOutcomes.get(n.courseId)?.outcome ?? READY) : READY;
        return user.ready && course.ready ? READY : combineOutcomes([user, course]);
      });
      // Pin this batch's answers so that a batch bigger than the cache still transforms fully.
      const pinnedUsers = new Map<string, CachedUser | undefined>([...userOutcomes].map(([u, r]) => [u, r.value]));
      const pinnedCourses = new Map<string, CachedCourse | undefined>([...courseOutcomes].map(([c, r]) => [c, r.value]));
      return {
        outcomes,
        ready: outcomes.every((o) => o.ready),
        lookups: lookupsOver(
          (user) => (pinnedUsers.has(user) ? pinnedUsers.get(user) : userCache.peek(user)),
          (courseId) => (pinnedCourses.has(courseId) ? pinnedCourses.get(courseId) : courseCache.peek(courseId)),
        ),
      };
    },
    clear() {
      userCache.clear();
      courseCache.clear();
    },
    shutdown() {
      closing ??= (async () => {
        const closers = [...options.userProviders, ...options.courseProviders].map((p) => p.close?.());
        await Promise.allSettled(closers);
      })();
      return closing;
    },
  };
}

function lookupsOver(user: (text: string) => CachedUser | undefined, course: (courseId: string) => CachedCourse | undefined): Lookups {
  return {
    anonymousId: (text, kind) => user(text)?.anonymousIds[kind] ?? undefined,
    email: (text) => user(text)?.email ?? undefined,
    courseName: (courseId) => course(courseId) ?? undefined,
  };
}
