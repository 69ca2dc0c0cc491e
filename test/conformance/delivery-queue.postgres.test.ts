import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPostgresQueue } from '../../src/queue/postgres/postgres-queue.js';
import { databaseOrSkip } from '../integration/postgres/test-database.js';
import { runDeliveryQueueSuite } from './delivery-queue.suite.js';
import { JsonPayload } from '../../src/queue/json-payload.js';

const database = await databaseOrSkip('DeliveryQueue conformance: postgres');

if (database !== undefined) {
  runDeliveryQueueSuite('postgres', async (options) => {
    const queue = await createPostgresQueue({ ...options, connectionString: database.url, poolSize: 2 });
    // One database per file; each case starts from empty tables (the depth rows included).
    await database.sql('TRUNCATE outbox, outbox_depth, dead_letters RESTART IDENTITY');
    return { queue, cleanup: () => queue.close() };
  });

  describe('PostgreSQL outbox schema', () => {
    it('opens a database an earlier release created (version in outbox_schema, no migration table)', async () => {
      const schema = await database.schema();
      const first = await createPostgresQueue({ connectionString: schema.url, poolSize: 1 });
      await first.enqueue([{ routerId: 'r', eventId: 'e', eventName: 'edx.test', payload: JsonPayload.of({ id: 'e' }) }]);
      await first.close();
      // The tables are those the earlier release wrote (same DDL); its bookkeeping instead of this one's.
      await schema.sql('DROP TABLE outbox_migration, outbox_migration_lock');
      await schema.sql('CREATE TABLE outbox_schema (version INTEGER NOT NULL); INSERT INTO outbox_schema VALUES (1)');
      const reopened = await createPostgresQueue({ connectionString: schema.url, poolSize: 1 });
      assert.equal((await reopened.stats()).depth, 1);
      await reopened.close();
    });
  });
}
