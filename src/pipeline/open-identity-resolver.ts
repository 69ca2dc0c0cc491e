import { createIdentityFromSettings } from '../identity/create-identity.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { LocalIdentityStore } from '../identity/local-store-port.js';
import type { IdentityMetrics } from '../identity/metrics.js';
import type { IdentitySettings } from '../identity/settings.js';
import { openLocalIdentityStore } from '../identity/open-local-identity-store.js';

/** Where the local identity store is: the data directory's SQLite file, or DATABASE_URL's PostgreSQL. */
export interface LocalStoreLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
}

export interface OpenedIdentityResolver {
  readonly resolver: IdentityResolver;
  /** Shuts the resolver's providers down, then closes the local store it opened. */
  close(): Promise<void>;
}

/**
 * The identity resolver as the service's pipeline and `replay --routers` both build it: the
 * sources the identity settings list (lookups file, local store, LMS database or API), with the
 * local store on a connection of its own when a source or the `mint` policy needs it. One
 * builder, so that a backfill resolves every learner as the live stream does.
 */
export async function openIdentityResolver(
  settings: IdentitySettings,
  location: LocalStoreLocation,
  metrics?: IdentityMetrics,
): Promise<OpenedIdentityResolver> {
  let store: LocalIdentityStore | undefined;
  if (settings.userSources.includes('local-store') || settings.missingIdPolicy === 'mint') {
    store = await openLocalIdentityStore({ dataDir: location.dataDir, databaseUrl: location.databaseUrl });
  }
  let resolver: IdentityResolver;
  try {
    resolver = createIdentityFromSettings(settings, {
      ...(store !== undefined ? { store } : {}),
      ...(metrics !== undefined ? { metrics } : {}),
    });
  } catch (error) {
    await store?.close();
    throw error;
  }
  return {
    resolver,
    async close() {
      await resolver.shutdown().catch(() => undefined);
      await store?.close();
    },
  };
}
