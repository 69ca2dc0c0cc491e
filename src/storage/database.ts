import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { prepareControlPlane, StorageError } from './control-plane-setup.js';
import { databasePath, ensureDataDir, resolveEncryptionKey } from './data-dir.js';
import { isPostgresUrl } from './database-url.js';
import { preparePrivateSqliteFile } from './private-files.js';
import type { ControlPlaneDatabase } from './control-plane-database.js';
import { createSecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';
import { useWriteAheadLog } from './sqlite-wal.js';

export { StorageError };
export type { ControlPlaneDatabase };

export interface OpenOptions {
  readonly dataDir: string;
  /** EVENT_ROUTER_SECRET_KEY; else the key file in the data directory. */
  readonly secretKey?: string | undefined;
  /** DATABASE_URL: a postgres:// URL opens PostgreSQL instead of the data directory's file. */
  readonly databaseUrl?: string | undefined;
  /** PostgreSQL only: connections of the pool; default 4. */
  readonly poolSize?: number;
  /** PostgreSQL only: an idle pooled connection failed (the next query reconnects). */
  readonly onPoolError?: (error: Error) => void;
}

export async function openControlPlaneDatabase(options: OpenOptions): Promise<ControlPlaneDatabase> {
  if (options.databaseUrl !== undefined && isPostgresUrl(options.databaseUrl)) {
    // Loaded only when asked for, so the embedded default never loads pg.
    const { openPostgresControlPlane } = await import('./postgres-database.js');
    return openPostgresControlPlane({ ...options, databaseUrl: options.databaseUrl });
  }
  ensureDataDir(options.dataDir);
  const path = databasePath(options.dataDir);
  const sqlite = openSqlite(path);
  const db = new Kysely<ControlPlaneTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const key = resolveEncryptionKey(options.dataDir, options.secretKey);
    const box = createSecretBox(key.key);
    await prepareControlPlane(db, 'sqlite', box, 'EVENT_ROUTER_SECRET_KEY or secret.key in the data directory');
    return { dialect: 'sqlite', path, db, box, keyCreated: key.created, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** A better-sqlite3 connection with the pragmas every control-plane connection uses. */
export function openSqlite(path: string): Database.Database {
  // The data directory is 0700 already; the file itself holds only sealed secrets, but keep it private too.
  preparePrivateSqliteFile(path);
  const sqlite = new Database(path);
  useWriteAheadLog(sqlite);
  // The CLI and a running service share the file; wait for each other's short writes.
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}
