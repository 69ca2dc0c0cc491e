import { migrateControlPlane } from '../storage/control-plane-setup.js';
import { connectPostgresKysely } from '../storage/postgres-database.js';
import { checkpointFromRow, type CheckpointStore } from './checkpoint-store.js';

/**
 * Replay checkpoints in PostgreSQL (DATABASE_URL, or `--checkpoint postgres://…`): the
 * `replay_checkpoints` table of the control-plane migrations, one row per (scope, source
 * identity), as in the SQLite file. Opening migrates the tables (no encryption key needed).
 */
export async function openDatabaseCheckpointStore(databaseUrl: string, scope: string): Promise<CheckpointStore> {
  const db = connectPostgresKysely(databaseUrl, 2);
  try {
    await migrateControlPlane(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closed = false;
  return {
    async get(identity) {
      const row = await db
        .selectFrom('replay_checkpoints')
        .select(['identity', 'source', 'encoding', 'lines', 'bytes', 'done'])
        .where('scope', '=', scope)
        .where('identity', '=', identity)
        .executeTakeFirst();
      return row === undefined ? undefined : checkpointFromRow(row);
    },
    async save(checkpoint) {
      const values = {
        source: checkpoint.source,
        encoding: checkpoint.encoding,
        lines: checkpoint.lines,
        bytes: checkpoint.bytes,
        done: checkpoint.done ? 1 : 0,
        updated_at: new Date().toISOString(),
      };
      await db
        .insertInto('replay_checkpoints')
        .values({ scope, identity: checkpoint.identity, ...values })
        .onConflict((oc) => oc.columns(['scope', 'identity']).doUpdateSet(values))
        .execute();
    },
    async clear() {
      const result = await db.deleteFrom('replay_checkpoints').where('scope', '=', scope).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
