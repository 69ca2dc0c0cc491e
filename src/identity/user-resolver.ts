import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { LocalIdentityStore } from './local-store-port.js';
import type { IdentityMetrics } from './metrics.js';
import { runChain } from './provider-chain.js';
import type { UserIdentity, UserProvider } from './providers.js';
import { READY, retryLater, type ResolveOutcome } from './resolve-outcome.js';
import type { MissingIdPolicy } from './settings.js';
import type { TtlCache } from './ttl-cache.js';
import { parseUserKey, type UserKey, type UserRecord } from './user-key.js';

/** A cached user: what the providers (and minting) gave, or null when no directory knows them. */
export type CachedUser = UserIdentity | null;

/** The outcome for one user, and what it resolved to (undefined when it must be retried). */
export interface UserResolution {
  readonly outcome: ResolveOutcome;
  readonly value: CachedUser | undefined;
}

export interface UserResolverOptions {
  readonly providers: readonly UserProvider[];
  readonly kinds: readonly IdentityKind[];
  readonly needEmail: boolean;
  readonly policy: MissingIdPolicy;
  readonly store: LocalIdentityStore | undefined;
  readonly cache: TtlCache<CachedUser>;
  readonly ttlMs: number;
  readonly negativeTtlMs: number;
  readonly retryAfterMs: number;
  readonly metrics: IdentityMetrics;
  readonly mintId: () => string;
}

/**
 * Resolves users into the cache: a fresh cache entry answers; misses go through the provider
 * chain in one batch; a user that exists without an id of a needed kind gets the missing-id
 * policy. Concurrent resolves of the same user share one lookup.
 */
export class UserResolver {
  private readonly inflight = new Map<string, Promise<UserResolution>>();
  private readonly hasDirectory: boolean;

  constructor(private readonly options: UserResolverOptions) {
    if (options.policy === 'mint' && options.store === undefined) {
      throw new Error('the missing-id policy "mint" needs the local identity store');
    }
    this.hasDirectory = options.providers.some((p) => p.authoritative);
  }

  /** One outcome per distinct user text; every occurrence counts as one lookup (hit or miss). */
  async resolve(users: readonly string[]): Promise<Map<string, UserResolution>> {
    const { cache, metrics } = this.options;
    const result = new Map<string, UserResolution>();
    const seen = new Map<string, boolean>();
    const waits: Array<[string, Promise<UserResolution>]> = [];
    const misses: UserKey[] = [];
    for (const text of users) {
      const hit = seen.get(text);
      if (hit !== undefined) {
        if (hit) metrics.cacheHit('user');
        else metrics.cacheMiss('user');
        continue;
      }
      const cached = cache.get(text);
      seen.set(text, cached !== undefined);
      if (cached !== undefined) {
        metrics.cacheHit('user');
        result.set(text, { outcome: this.cachedOutcome(text, cached), value: cached });
        continue;
      }
      metrics.cacheMiss('user');
      const pending = this.inflight.get(text);
      if (pending !== undefined) waits.push([text, pending]);
      else misses.push(parseUserKey(text));
    }
    if (misses.length > 0) {
      const batch = this.fetch(misses).catch((error: unknown) => {
        const reason = `user lookup failed: ${error instanceof Error ? error.message : String(error)}`;
        return new Map(misses.map((key) => [key.text, retry(reason, this.options.retryAfterMs)]));
      });
      for (const key of misses) {
        const one = batch.then((m) => m.get(key.text) ?? { outcome: READY, value: undefined });
        this.inflight.set(key.text, one);
        waits.push([key.text, one]);
      }
      void batch.then(() => {
        for (const key of misses) this.inflight.delete(key.text);
      });
    }
    for (const [text, promise] of waits) result.set(text, await promise);
    return result;
  }

  private missingKinds(identity: UserIdentity): IdentityKind[] {
    return this.options.kinds.filter((kind) => identity.anonymousIds[kind] === undefined);
  }

  private complete = (identity: UserIdentity | undefined): boolean =>
    identity !== undefined && this.missingKinds(identity).length === 0 && (!this.options.needEmail || identity.email !== undefined);

  private cachedOutcome(text: string, cached: CachedUser): ResolveOutcome {
    if (cached === null || this.options.policy !== 'wait') return READY;
    const missing = this.missingKinds(cached);
    return missing.length === 0 ? READY : this.waitOutcome(text, missing);
  }

  private waitOutcome(text: string, missing: readonly IdentityKind[]): ResolveOutcome {
    return retryLater(`user "${text}" has no ${missing.join('/')} anonymous id yet (policy: wait)`, this.options.retryAfterMs);
  }

  private async fetch(keys: readonly UserKey[]): Promise<Map<string, UserResolution>> {
    const { cache, ttlMs, negativeTtlMs, metrics } = this.options;
    const chain = await runChain(
      this.options.providers.map((p) => ({ name: p.name, ask: (k: readonly UserKey[]) => p.findUsers(k) })),
      keys,
      {
        textOf: (key) => key.text,
        merge: mergeIdentity,
        complete: this.complete,
        onProviderError: (name) => metrics.providerError(name),
      },
    );
    const outcomes = new Map<string, UserResolution>();
    for (const key of keys) {
      const uncertain = chain.uncertain.get(key.text);
      if (uncertain !== undefined) {
        outcomes.set(key.text, retry(uncertain, this.options.retryAfterMs));
        continue;
      }
      let identity = chain.merged.get(key.text);
      if (identity === undefined) {
        if (this.hasDirectory) {
          // ERB drops events of users the LMS does not have (PR #338); remembered briefly.
          cache.set(key.text, null, negativeTtlMs);
          outcomes.set(key.text, { outcome: READY, value: null });
          continue;
        }
        identity = { anonymousIds: {} };
      }
      const missing = this.missingKinds(identity);
      if (missing.length === 0) {
        cache.set(key.text, identity, this.complete(identity) ? ttlMs : negativeTtlMs);
        outcomes.set(key.text, { outcome: READY, value: identity });
      } else if (this.options.policy === 'mint') {
        outcomes.set(key.text, await this.mint(key, identity, missing));
      } else {
        cache.set(key.text, identity, negativeTtlMs);
        const outcome = this.options.policy === 'wait' ? this.waitOutcome(key.text, missing) : READY;
        outcomes.set(key.text, { outcome, value: identity });
      }
    }
    return outcomes;
  }

  private async mint(key: UserKey, identity: UserIdentity, missing: readonly IdentityKind[]): Promise<UserResolution> {
    const store = this.options.store as LocalIdentityStore;
    const user = mintRecord(key, identity);
    const anonymousIds = { ...identity.anonymousIds };
    try {
      for (const kind of missing) {
        const proposed = this.options.mintId();
        const kept = await store.mint(user, kind, proposed);
        anonymousIds[kind] = kept;
        // Another key of the same user (id vs username) may have minted it already.
        if (kept === proposed) this.options.metrics.minted(kind);
      }
    } catch (error) {
      this.options.metrics.providerError('local-store');
      const message = error instanceof Error ? error.message : String(error);
      return retry(`local-store unreachable while minting: ${message}`, this.options.retryAfterMs);
    }
    const minted = { ...identity, anonymousIds };
    this.options.cache.set(key.text, minted, this.complete(minted) ? this.options.ttlMs : this.options.negativeTtlMs);
    return { outcome: READY, value: minted };
  }
}

function retry(reason: string, retryAfterMs: number): UserResolution {
  return { outcome: retryLater(reason, retryAfterMs), value: undefined };
}

/** Earlier providers win field by field; anonymous ids merge kind by kind. */
export function mergeIdentity(previous: UserIdentity | undefined, next: UserIdentity): UserIdentity {
  if (previous === undefined) return next;
  const userId = previous.userId ?? next.userId;
  const username = previous.username ?? next.username;
  const email = previous.email ?? next.email;
  return {
    ...(userId !== undefined ? { userId } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(email !== undefined ? { email } : {}),
    anonymousIds: { ...next.anonymousIds, ...previous.anonymousIds },
  };
}

/** Who a minted id is kept for: the directory's id and username when known, else the key itself. */
function mintRecord(key: UserKey, identity: UserIdentity): UserRecord {
  const userId = identity.userId ?? key.id;
  const username = identity.username ?? (key.id === undefined ? key.text : undefined);
  return {
    ...(userId !== undefined ? { userId } : {}),
    ...(username !== undefined ? { username } : {}),
  };
}
