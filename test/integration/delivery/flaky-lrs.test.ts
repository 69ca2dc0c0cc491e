import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeLrs, lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { statementItems } from '../../fakes/statements.js';
import { type DeliveryHarness, eventually, startDelivery } from './harness.js';
import { seededRandom, xapiRouter } from './scenario.js';

describe('LRS answering 503 to 30 % of requests', () => {
  let lrs: FakeLrs;
  let harness: DeliveryHarness;
  before(async () => {
    const random = seededRandom(42);
    lrs = await startFakeLrs((request, index) => (random() < 0.3 ? { status: 503, body: 'busy' } : lrsAccepts(request, index)));
  });
  after(async () => {
    await harness?.stop();
    await lrs.close();
  });

  for (const batching of [
    { enabled: true, size: 25, intervalMs: 50 },
    { enabled: false, size: 1, intervalMs: 0 },
  ]) {
    it(`delivers every statement (batching ${batching.enabled ? 'on' : 'off'})`, { timeout: 60_000 }, async () => {
      await harness?.stop();
      lrs.requests.length = 0;
      harness = await startDelivery([xapiRouter(lrs.url, { batching })], { maxInFlight: 4 });
      const items = statementItems('lrs-1', batching.enabled ? 600 : 150);
      assert.ok((await harness.queue.enqueue(items)).ok);
      await eventually(async () => (await harness.queue.stats()).depth === 0, 50_000, 'an empty outbox');
      const failed = lrs.requests.filter((r) => r.status === 503).length;
      assert.ok(failed > lrs.requests.length * 0.15, `the LRS did fail (${failed} of ${lrs.requests.length})`);
      assert.deepEqual(new Set(lrs.acceptedIds()), new Set(items.map((i) => i.eventId)));
      assert.equal(lrs.acceptedIds().length, items.length, 'a 503 means not stored: nothing twice');
      assert.equal(harness.observer.deadLettered, 0);
    });
  }
});
