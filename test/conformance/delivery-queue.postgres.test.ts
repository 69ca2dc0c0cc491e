import { createPostgresQueue } from '../../src/queue/postgres/postgres-queue.js';
import { databaseOrSkip } from '../integration/postgres/test-database.js';
import { runDeliveryQueueSuite } from './delivery-queue.suite.js';

const database = await databaseOrSkip('DeliveryQueue conformance: postgres');

if (database !== undefined) {
  runDeliveryQueueSuite('postgres', async (options) => {
    const queue = await createPostgresQueue({ ...options, connectionString: database.url, poolSize: 2 });
    // One database per file; each case starts from empty tables (the depth rows included).
    await database.sql('TRUNCATE outbox, outbox_depth, dead_letters RESTART IDENTITY');
    return { queue, cleanup: () => queue.close() };
  });
}
