import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPostgresBusDeadLetters } from '../../src/queue/bus-dead-letters/postgres-bus-dead-letters.js';
import { openPostgresInbox, type PostgresInboxOptions } from '../../src/queue/inbox/postgres-inbox.js';
import { databaseOrSkip } from '../integration/postgres/test-database.js';
import { runInboxSuite } from './inbox.suite.js';

const database = await databaseOrSkip('EventInbox conformance: postgres');

if (database !== undefined) {
  const db = database;
  // Each case in a fresh schema of its own: the inbox as a new deployment would find it.
  runInboxSuite('postgres', async (options) => {
    const schema = await db.schema();
    const open = () => openPostgresInbox({ ...options, connectionString: schema.url, poolSize: 2 });
    return { inbox: await open(), reopen: open, another: open, cleanup: async () => undefined };
  });

  describe('PostgreSQL inbox', () => {
    it('gives the entries of an instance that died to another once its lease has ended', async () => {
      let now = 10_000;
      const schema = await db.schema();
      const options: PostgresInboxOptions = { connectionString: schema.url, poolSize: 2, now: () => now, leaseMs: 500 };
      const dead = await openPostgresInbox(options);
      const alive = await openPostgresInbox(options);
      await alive.append([{ body: 'a' }, { body: 'b' }]);
      assert.equal((await dead.take(4)).length, 2);
      now += 499;
      assert.deepEqual(await alive.take(4), [], 'still leased');
      now += 1;
      const taken = await alive.take(4);
      assert.deepEqual(
        taken.map((e) => e.body),
        ['a', 'b'],
      );
      await alive.complete({ done: taken.map((e) => e.seq), deferred: [] });
      assert.equal((await alive.refreshStats()).depth, 0);
      await Promise.all([dead.close(), alive.close()]);
    });

    it('opens a database an earlier release created (versions in inbox_schema, no migration table)', async () => {
      const schema = await db.schema();
      const inbox = await openPostgresInbox({ connectionString: schema.url, poolSize: 2 });
      await inbox.append([{ body: 'kept' }]);
      await inbox.close();
      // The tables are those an earlier release wrote (same DDL); its bookkeeping instead of this one's.
      await schema.sql('DROP TABLE inbox_migration, inbox_migration_lock');
      await schema.sql('CREATE TABLE inbox_schema (version INTEGER NOT NULL); INSERT INTO inbox_schema VALUES (1), (2)');

      const reopened = await openPostgresInbox({ connectionString: schema.url, poolSize: 2 });
      assert.deepEqual(
        (await reopened.take(10)).map((e) => e.body),
        ['kept'],
      );
      await reopened.close();
      const { rows } = await schema.sql('SELECT name FROM inbox_migration ORDER BY name');
      assert.deepEqual(
        rows.map((r) => r.name),
        ['0001_inbox', '0002_follow_positions', '0003_bus_dead_letters'],
      );
    });

    it('refuses a database a newer release migrated further', async () => {
      const schema = await db.schema();
      await (await openPostgresInbox({ connectionString: schema.url, poolSize: 2 })).close();
      await schema.sql(`INSERT INTO inbox_migration (name, timestamp) VALUES ('9999_future', '2030-01-01')`);
      await assert.rejects(openPostgresInbox({ connectionString: schema.url, poolSize: 2 }), /inbox database migration failed/);
    });

    it('keeps poison bus messages with their bytes, apart from the inbox', async () => {
      const schema = await db.schema();
      const deadLetters = await openPostgresBusDeadLetters({ connectionString: schema.url, now: () => 42 });
      const inbox = await openPostgresInbox({ connectionString: schema.url, poolSize: 2 });
      const bytes = Buffer.from([0xff, 0x00, 0x01]);
      await deadLetters.add({ sourceId: 'redis:s:9-0', reason: 'malformed_avro', message: 'bad', fields: { type: 'x' }, bytes });
      assert.equal(await deadLetters.count(), 1);
      assert.equal((await inbox.refreshStats()).depth, 0, 'not an inbox entry');
      await Promise.all([deadLetters.close(), inbox.close()]);
      const { rows } = await schema.sql('SELECT source_id, reason, fields, bytes, dead_at FROM bus_dead_letters');
      assert.deepEqual(rows, [{ source_id: 'redis:s:9-0', reason: 'malformed_avro', fields: '{"type":"x"}', bytes, dead_at: '42' }]);
    });
  });
}
