import { Kysely, PostgresDialect } from 'kysely';
import { prepareControlPlane } from './control-plane-setup.js';
import { ensureDataDir, resolveEncryptionKey } from './data-dir.js';
import type { ControlPlaneDatabase } from './control-plane-database.js';
import { redactDatabaseUrl } from './database-url.js';
import { createPostgresPool } from './postgres-pool.js';
import { createSecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';

export interface PostgresControlPlaneOptions {
  /** DATABASE_URL (postgres:// or postgresql://). */
  readonly databaseUrl: string;
  /** Holds the key file when no `secretKey` is given. */
  readonly dataDir: string;
  /** EVENT_ROUTER_SECRET_KEY; instances sharing one database must share it. */
  readonly secretKey?: string | undefined;
  /** Connections of the control-plane pool (routers, identities); default 4. */
  readonly poolSize?: number;
  readonly onPoolError?: (error: Error) => void;
}

/**
 * The control-plane database on PostgreSQL: the same tables and the same migrations as the
 * SQLite file (src/storage/control-plane-migrations.ts), through Kysely's PostgreSQL dialect.
 */
export async function openPostgresControlPlane(options: PostgresControlPlaneOptions): Promise<ControlPlaneDatabase> {
  const db = connectPostgresKysely(options.databaseUrl, options.poolSize ?? 4, options.onPoolError);
  try {
    if (options.secretKey === undefined) ensureDataDir(options.dataDir);
    const key = resolveEncryptionKey(options.dataDir, options.secretKey);
    const box = createSecretBox(key.key);
    await prepareControlPlane(db, 'postgres', box, 'set EVENT_ROUTER_SECRET_KEY to the same key on every instance that shares this database');
    return {
      dialect: 'postgres',
      path: redactDatabaseUrl(options.databaseUrl),
      db,
      box,
      keyCreated: key.created,
      close: () => db.destroy(),
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * Kysely over a pool of its own, nothing else: for a component that only reads and writes
 * tables `openPostgresControlPlane` migrated (e.g. the identity store of a pipeline thread).
 * `destroy()` ends the pool.
 */
export function connectPostgresKysely(databaseUrl: string, poolSize: number, onPoolError?: (error: Error) => void): Kysely<ControlPlaneTables> {
  const pool = createPostgresPool({
    connectionString: databaseUrl,
    max: poolSize,
    applicationName: 'edx-event-router control-plane',
    ...(onPoolError ? { onError: onPoolError } : {}),
  });
  return new Kysely<ControlPlaneTables>({ dialect: new PostgresDialect({ pool }) });
}
