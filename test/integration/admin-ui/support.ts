import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { registerAdminUi } from '../../../src/admin/ui/admin-ui.js';
import { createDeliveryCounters, type DeliveryCounters } from '../../../src/admin/ui/counters.js';
import { createDeliveryRouterSource } from '../../../src/delivery/delivery-routers.js';
import { loadSettings } from '../../../src/config/load.js';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/delivery-service.js';
import { createRetryPolicy } from '../../../src/delivery/retry-policy.js';
import type { DeliveryQueue } from '../../../src/queue/port.js';
import { createSqliteQueue } from '../../../src/queue/sqlite/sqlite-queue.js';
import { openControlPlaneDatabase } from '../../../src/storage/database.js';
import { removeRouter } from '../../../src/queue/remove-router.js';
import type { RouterStore } from '../../../src/storage/router-store.js';
import { createSqlRouterStore } from '../../../src/storage/sql-router-store.js';
import { startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { statementItems } from '../../fakes/statements.js';

export const ADMIN_TOKEN = 'admin-ui-test-token-0123456789';

/**
 * The admin page on a real fastify server with real parts: the SQLite router store, the SQLite
 * outbox and a delivery service reading the store, sending to a fake LRS. Ingest is not wired
 * into this server (the composition root does that), so `enqueue` puts statements straight
 * into the outbox and counts them as received, as ingest will.
 */
export interface AdminUiHarness {
  readonly url: string;
  readonly server: FastifyInstance;
  readonly store: RouterStore;
  readonly queue: DeliveryQueue;
  readonly counters: DeliveryCounters;
  readonly delivery: DeliveryService;
  readonly lrs: FakeLrs;
  /** Every log line, to check that no secret is ever logged. */
  readonly logs: string[];
  enqueue(routerId: string, count: number, from?: number): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startAdminUi(): Promise<AdminUiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'edx-router-admin-ui-'));
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const loaded = loadSettings({ env: { EVENT_ROUTER_DATA_DIR: dir } });
  if (!loaded.ok) throw new Error('test settings refused');
  const database = await openControlPlaneDatabase({ dataDir: dir });
  const store = createSqlRouterStore(database);
  const queue = await createSqliteQueue({ path: join(dir, 'outbox.sqlite'), synchronous: 'normal' });
  const counters = createDeliveryCounters();
  const lrs = await startFakeLrs();
  const delivery = createDeliveryService({
    queue,
    caliperSensor: 'http://lms.example',
    observer: counters.observer,
    routers: createDeliveryRouterSource(store, loaded.settings),
    refreshMs: 200,
    idlePollMs: 100,
    retryPolicy: createRetryPolicy({ initialDelayMs: 50, maxDelayMs: 400, maxAgeMs: 60_000 }),
    http: { timeoutMs: 2000 },
  });
  await delivery.start();

  const server = fastify();
  await registerAdminUi(server, {
    routers: store,
    queue,
    removeRouter: (id, options) => removeRouter({ routers: store, queue }, id, options),
    counters: counters.snapshot,
    health: delivery.health,
    retryNow: delivery.retryNow,
    adminToken: ADMIN_TOKEN,
    log,
    refreshIntervalMs: 1000,
    chartSampleMs: 200,
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    server,
    store,
    queue,
    counters,
    delivery,
    lrs,
    logs,
    async enqueue(routerId, count, from = 1) {
      const items = statementItems(routerId, count, from);
      const outcome = await queue.enqueue(items);
      if (!outcome.ok) throw new Error(`enqueue refused: ${outcome.reason}`);
      counters.received(items);
      return items.map((item) => item.eventId);
    },
    async stop() {
      await server.close();
      await delivery.shutdown(2000);
      await queue.close();
      await store.close();
      await lrs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `predicate` every 25 ms until it holds or `timeoutMs` passes. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
