import type { Kysely } from 'kysely';
import { controlPlaneMigrations } from './control-plane-migrations.js';
import { runMigrations, type Dialect } from './run-migrations.js';
import { StorageError } from './storage-error.js';
import { SecretBoxError, type SecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';

export { StorageError };

const KEY_CHECK = 'encryption_key_check';
const KEY_CHECK_PLAINTEXT = 'edx-event-router';

/**
 * What every opening path does once it has a Kysely instance, whatever the dialect: the one
 * list of migrations, then the key check. `keyHint` names where the key comes from, for the
 * error people see when it does not match.
 */
export async function prepareControlPlane(db: Kysely<ControlPlaneTables>, dialect: Dialect, box: SecretBox, keyHint: string): Promise<void> {
  await migrateControlPlane(db, dialect);
  await checkKey(db, box, keyHint);
}

/** The migrations alone, for components that need the tables but no secrets (replay checkpoints). */
export async function migrateControlPlane(db: Kysely<ControlPlaneTables>, dialect: Dialect): Promise<void> {
  await runMigrations(db, dialect, { name: 'control-plane', table: 'control_plane', migrations: controlPlaneMigrations(dialect) });
  await db
    .insertInto('control_plane_versions')
    .values({ name: 'routers', version: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
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
