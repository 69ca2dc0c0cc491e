import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { StorageError } from './storage-error.js';

export type Dialect = 'sqlite' | 'postgres';

/** One schema's migrations, applied in the order of their names. Append; never edit a released one. */
export interface MigrationSet {
  /** What the tables are ("inbox", "outbox"), for messages and Kysely's own tables: `<table>_migration`. */
  readonly name: string;
  /** Prefix of Kysely's bookkeeping tables (`<prefix>_migration`, `<prefix>_migration_lock`). */
  readonly table: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

/**
 * The one way every schema is created and upgraded (control plane, replay checkpoints, outbox,
 * inbox, on both engines): Kysely's Migrator. A database holding a migration this build does not
 * know was written by a newer version, and the Migrator refuses it.
 */
export async function runMigrations<DB>(db: Kysely<DB>, dialect: Dialect, set: MigrationSet): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...set.migrations }) },
    // Kysely looks for its tables in every schema unless told which: a second deployment in
    // another schema of the same database (search_path) would find the first one's and skip.
    ...(dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
    // Names of our own per schema, so that the schemas sharing a database keep apart histories.
    migrationTableName: `${set.table}_migration`,
    migrationLockTableName: `${set.table}_migration_lock`,
  });
  // Two processes starting on a fresh SQLite file race to migrate (Kysely locks only on
  // PostgreSQL); the loser retries and finds it done.
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    if (attempt >= 3) throw new StorageError(`${set.name} database migration failed: ${(error as Error).message}`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

async function currentSchema<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema == null) throw new StorageError('no schema to create tables in: the search_path names no existing schema');
  return schema;
}
