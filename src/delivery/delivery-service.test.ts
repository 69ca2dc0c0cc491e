import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeLrs, startFakeLrs } from '../../test/fakes/fake-lrs.js';
import { createRecordingObserver } from '../../test/fakes/recording-observer.js';
import { statementItems } from '../../test/fakes/statements.js';
import { createMemoryQueue } from '../queue/memory/memory-queue.js';
import { createDeliveryService } from './delivery-service.js';
import { createRetryPolicy } from './retry-policy.js';
import type { DeliveryRouter } from './router-config.js';

describe('delivery service', () => {
  let a: FakeLrs;
  let b: FakeLrs;
  before(async () => {
    [a, b] = await Promise.all([startFakeLrs(), startFakeLrs()]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const router = (id: string, lrs: FakeLrs, extra: Partial<DeliveryRouter> = {}): DeliveryRouter => ({
    id,
    backend: 'xapi',
    url: lrs.url,
    auth: { scheme: 'none' },
    batching: { enabled: true, size: 5, intervalMs: 20 },
    ...extra,
  });

  it('runs a worker per router from the source and follows edits, disabling and removal', { timeout: 20_000 }, async () => {
    let routers: DeliveryRouter[] = [router('one', a), router('two', b)];
    const queue = createMemoryQueue();
    const observer = createRecordingObserver();
    const service = createDeliveryService({
      queue,
      caliperSensor: 'http://lms.example',
      routers: { list: () => routers },
      refreshMs: 50,
      idlePollMs: 50,
      observer,
      retryPolicy: createRetryPolicy({ initialDelayMs: 20, maxDelayMs: 50 }),
    });
    await service.start();
    try {
      assert.deepEqual(
        service.health().map((h) => [h.routerId, h.state]),
        [
          ['one', 'healthy'],
          ['two', 'healthy'],
        ],
      );
      await queue.enqueue([...statementItems('one', 3), ...statementItems('two', 2)]);
      await a.waitFor(() => a.accepted().length === 3, 5000, 'router one');
      await b.waitFor(() => b.accepted().length === 2, 5000, 'router two');

      // Router one now points at LRS b; router two is disabled.
      routers = [router('one', b), router('two', b, { enabled: false })];
      await a.waitFor(() => service.health().some((h) => h.routerId === 'two' && h.state === 'disabled'), 3000, 'the edit');
      await queue.enqueue([...statementItems('one', 1), ...statementItems('two', 1)]);
      await b.waitFor(() => b.accepted().length === 3, 5000, 'router one at its new URL');
      assert.equal(await service.flush(1000), false, 'router two holds its item while disabled');
      assert.equal(b.accepted().length, 3);

      // Router two is removed: its worker stops and its items stay queued.
      routers = [router('one', b)];
      await a.waitFor(() => service.health().length === 1, 3000, 'the removal');
      const stats = await queue.stats();
      assert.equal(stats.routers.find((r) => r.routerId === 'two')?.depth, 1);
      assert.equal(await service.flush(1000), true);
    } finally {
      await service.shutdown(1000);
      await service.shutdown(1000);
      await queue.close();
    }
    assert.deepEqual(observer.errors, []);
  });

  it('keeps its routers when the source fails, and reports it', { timeout: 10_000 }, async () => {
    let fail = false;
    const queue = createMemoryQueue();
    const observer = createRecordingObserver();
    const service = createDeliveryService({
      queue,
      caliperSensor: 'x',
      routers: {
        list: () => {
          if (fail) throw new Error('store unavailable');
          return [router('one', a)];
        },
      },
      refreshMs: 20,
      observer,
    });
    await service.start();
    fail = true;
    await a.waitFor(() => observer.errors.length > 0, 3000, 'the source error');
    assert.match(observer.errors[0] ?? '', /store unavailable/);
    assert.equal(service.health().length, 1);
    await service.shutdown(1000);
    await queue.close();
  });
});
