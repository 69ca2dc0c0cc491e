import { Migrator, sql, type Kysely } from 'kysely';
import { migrationProviderFor, type Dialect } from './migrations.js';
import { SecretBoxError, type SecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';

/** A control-plane database that cannot be used: failed migration, or the wrong encryption key. */
export class StorageError extends Error {}

const KEY_CHECK = 'encryption_key_check';
const KEY_CHECK_PLAINTEXT = 'edx-event-router';

/**
 * What every opening path does once it has a Kysely instance, whatever the dialect: the one
 * list of migrations, then the key check. `keyHint` names where the key comes from, for the
 * error people see when it does not match.
 */
export async function prepareControlPlane(
  db: Kysely<ControlPlaneTables>,
  dialect: Dialect,
  box: SecretBox,
  keyHint: string,
): Promise<void> {
  await migrateControlPlane(db, dialect);
  await checkKey(db, box, keyHint);
}

/** The migrations alone, for components that need the tables but no secrets (replay checkpoints). */
export async function migrateControlPlane(db: Kysely<ControlPlaneTables>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProviderFor(dialect),
    // Kysely looks for its tables in every schema unless told which: a second deployment in
    // another schema of the same database (search_path) would find the first one's and skip.
    ...(dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
    // Our own names, so other components may keep Kysely migrations in the same database.
    migrationTableName: 'control_plane_migration',
    migrationLockTableName: 'control_plane_migration_lock',
  });
  // Two processes starting on a fresh database race to migrate; the loser retries and finds it
  // done. (On PostgreSQL Kysely also takes an advisory lock, so this is belt and braces.)
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

async function currentSchema(db: Kysely<ControlPlaneTables>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema == null) throw new StorageError('no schema to create tables in: the search_path names no existing schema');
  return schema;
}

/** Refuse to start with a key other than the one the database was written with. */
async function checkKey(db: Kysely<ControlPlaneTables>, box: SecretBox, keyHint: string): Promise<void> {
  const row = await db.selectFrom('control_plane_meta').select('value').where('key', '=', KEY_CHECK).executeTakeFirst();
  if (row === undefined) {
    await db
      .insertInto('control_plane_meta')
      .values({ key: KEY_CHECK, value: box.seal(KEY_CHECK_PLAINTEXT, `meta.${KEY_CHECK}`) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    // Another instance may have won the insert with its own key: check against what is stored.
    return checkKey(db, box, keyHint);
  }
  try {
    box.open(row.value, `meta.${KEY_CHECK}`);
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new StorageError(`the encryption key does not match the one this database was written with (${keyHint})`);
  }
}
