import { join } from 'node:path';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/delivery-service.js';
import type { DeliveryRouter } from '../../../src/delivery/router-config.js';
import type { WorkerSettings } from '../../../src/delivery/worker.js';
import type { DeliveryQueue } from '../../../src/queue/port.js';
import { createSqliteQueue } from '../../../src/queue/sqlite/sqlite-queue.js';
import { createRecordingObserver, type RecordingObserver } from '../../fakes/recording-observer.js';
import { fastRetryPolicy, scratchDir } from './scenario.js';

/** A SQLite outbox in a scratch folder with a delivery service over it. */
export interface DeliveryHarness {
  queue: DeliveryQueue;
  service: DeliveryService;
  observer: RecordingObserver;
  stop(): Promise<void>;
}

export async function startDelivery(routers: DeliveryRouter[], settings: Partial<WorkerSettings> = {}): Promise<DeliveryHarness> {
  const dir = scratchDir('delivery-it');
  const queue = await createSqliteQueue({ path: join(dir.path, 'outbox.sqlite') });
  const observer = createRecordingObserver();
  const service = createDeliveryService({
    queue,
    caliperSensor: 'http://lms.example',
    observer,
    retryPolicy: fastRetryPolicy,
    idlePollMs: 100,
    http: { timeoutMs: 2000 },
    ...settings,
  });
  service.setRouters(routers);
  await service.start();
  return {
    queue,
    service,
    observer,
    async stop() {
      await service.shutdown(2000);
      await queue.close();
      dir.remove();
    },
  };
}

/** Polls `predicate` (which may be async) every 20 ms until it holds or `timeoutMs` passes. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
