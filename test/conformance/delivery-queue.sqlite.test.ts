import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteQueue } from '../../src/queue/sqlite/sqlite-queue.js';
import { runDeliveryQueueSuite } from './delivery-queue.suite.js';

runDeliveryQueueSuite('sqlite', (options) => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-conformance-'));
  // `normal` keeps the suite fast; durability itself is tested in the kill -9 scenario.
  const queue = createSqliteQueue({ ...options, path: join(dir, 'outbox.sqlite'), synchronous: 'normal' });
  return {
    queue,
    cleanup: async () => {
      await queue.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
