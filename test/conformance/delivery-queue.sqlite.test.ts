import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteQueue } from '../../src/queue/sqlite/sqlite-queue.js';
import { runDeliveryQueueSuite } from './delivery-queue.suite.js';

// Both lease modes: in memory (the process owns the file, the default) and in the file (shared).
for (const [name, recoverLeasesOnOpen] of [
  ['sqlite', true],
  ['sqlite, leases in the file', false],
] as const) {
  runDeliveryQueueSuite(name, async (options) => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-conformance-'));
    // `normal` keeps the suite fast; durability itself is tested in the kill -9 scenario.
    const queue = await createSqliteQueue({ ...options, path: join(dir, 'outbox.sqlite'), synchronous: 'normal', recoverLeasesOnOpen });
    return {
      queue,
      cleanup: async () => {
        await queue.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}
