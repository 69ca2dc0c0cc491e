import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { databasePath, ensureDataDir, resolveEncryptionKey } from './data-dir.js';
import { migrationProvider } from './migrations.js';
import { createSecretBox, SecretBoxError, type SecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';

/** The control-plane database of the embedded default: one SQLite file in the data directory. */
export interface ControlPlaneDatabase {
  readonly path: string;
  readonly db: Kysely<ControlPlaneTables>;
  /** Encrypts router secrets at rest. */
  readonly box: SecretBox;
  /** True when the encryption key file was created by this call (first run). */
  readonly keyCreated: boolean;
  close(): Promise<void>;
}

export class StorageError extends Error {}

export interface OpenOptions {
  readonly dataDir: string;
  /** EVENT_ROUTER_SECRET_KEY; else the key file in the data directory. */
  readonly secretKey?: string | undefined;
}

const KEY_CHECK = 'encryption_key_check';
const KEY_CHECK_PLAINTEXT = 'edx-event-router';

export async function openControlPlaneDatabase(options: OpenOptions): Promise<ControlPlaneDatabase> {
  ensureDataDir(options.dataDir);
  const path = databasePath(options.dataDir);
  const sqlite = openSqlite(path);
  const db = new Kysely<ControlPlaneTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const key = resolveEncryptionKey(options.dataDir, options.secretKey);
    const box = createSecretBox(key.key);
    await migrate(db);
    await checkKey(db, box);
    return { path, db, box, keyCreated: key.created, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** A better-sqlite3 connection with the pragmas every control-plane connection uses. */
export function openSqlite(path: string): Database.Database {
  const sqlite = new Database(path);
  // The data directory is 0700 already; the file itself holds only sealed secrets, but keep it private too.
  chmodSync(path, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // The CLI and a running service share the file; wait for each other's short writes.
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

async function migrate(db: Kysely<ControlPlaneTables>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    // Our own names, so other components may keep Kysely migrations in the same file.
    migrationTableName: 'control_plane_migration',
    migrationLockTableName: 'control_plane_migration_lock',
  });
  // Two processes starting on a fresh file race to migrate; the loser retries and finds it done.
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) break;
    if (attempt >= 3) throw new StorageError(`database migration failed: ${(error as Error).message}`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
  await db
    .insertInto('control_plane_versions')
    .values({ name: 'routers', version: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Refuse to start with a key other than the one the database was written with. */
async function checkKey(db: Kysely<ControlPlaneTables>, box: SecretBox): Promise<void> {
  const row = await db.selectFrom('control_plane_meta').select('value').where('key', '=', KEY_CHECK).executeTakeFirst();
  if (row === undefined) {
    await db
      .insertInto('control_plane_meta')
      .values({ key: KEY_CHECK, value: box.seal(KEY_CHECK_PLAINTEXT, `meta.${KEY_CHECK}`) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return;
  }
  try {
    box.open(row.value, `meta.${KEY_CHECK}`);
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new StorageError(
      'the encryption key does not match the one this database was written with (EVENT_ROUTER_SECRET_KEY or secret.key in the data directory)',
    );
  }
}
