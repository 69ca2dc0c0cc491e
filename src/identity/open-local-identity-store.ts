import type { LocalIdentityStore } from './local-store-port.js';
import { isPostgresUrl } from '../storage/database-url.js';

export interface OpenLocalIdentityStoreOptions {
  readonly dataDir: string;
  /** DATABASE_URL: a postgres:// URL keeps the ids in PostgreSQL, shared by every instance. */
  readonly databaseUrl?: string | undefined;
  /** PostgreSQL only: connections of its pool; default 2. */
  readonly poolSize?: number;
  readonly onPoolError?: (error: Error) => void;
}

/**
 * The local identity store (src/identity/local-store-port.ts) on the database DATABASE_URL
 * names, with a connection of its own that `close()` closes. The tables must exist:
 * `openControlPlaneDatabase` (or `openStores`) migrates them at startup.
 */
export async function openLocalIdentityStore(options: OpenLocalIdentityStoreOptions): Promise<LocalIdentityStore> {
  if (isPostgresUrl(options.databaseUrl)) {
    const [{ connectPostgresKysely }, { createSqlLocalStore }] = await Promise.all([import('../storage/postgres-database.js'), import('./sql-local-store.js')]);
    const db = connectPostgresKysely(options.databaseUrl, options.poolSize ?? 2, options.onPoolError);
    return createSqlLocalStore(db, { close: () => db.destroy() });
  }
  const { openSqliteLocalStore } = await import('./sqlite-local-store.js');
  return openSqliteLocalStore(options.dataDir);
}
