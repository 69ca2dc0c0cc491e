import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { statementItems } from '../../fakes/statements.js';
import { type DeliveryHarness, eventually, startDelivery } from './harness.js';
import { xapiRouter } from './scenario.js';

describe('LRS down for a while, then back', () => {
  let lrs: FakeLrs;
  let harness: DeliveryHarness;
  before(async () => {
    lrs = await startFakeLrs();
  });
  after(async () => {
    await harness?.stop();
    await lrs.close();
  });

  it('delivers every statement once it is back, each once', { timeout: 30_000 }, async () => {
    await lrs.down();
    harness = await startDelivery([xapiRouter(lrs.url)]);
    const items = statementItems('lrs-1', 500);
    const outcome = await harness.queue.enqueue(items);
    assert.ok(outcome.ok);
    // Refused connections are retried with backoff while it is down.
    await eventually(() => harness.observer.retried >= 50 * 3, 10_000, 'three failed attempts');
    const health = harness.service.health()[0];
    assert.equal(health?.state, 'backing_off');
    assert.match(health?.lastError ?? '', /ECONNREFUSED/);
    const attemptsAt = harness.observer.requests;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Paused between attempts: a second of outage costs a few requests, not the whole outbox.
    assert.ok(harness.observer.requests - attemptsAt <= 10, `${harness.observer.requests - attemptsAt} requests in 1 s`);

    await lrs.up();
    await eventually(async () => (await harness.queue.stats()).depth === 0, 15_000, 'an empty outbox');
    // Batches go out concurrently (maxInFlight), so arrival order is not outbox order (nor is ERB's).
    assert.deepEqual(new Set(lrs.acceptedIds()), new Set(items.map((i) => i.eventId)));
    assert.equal(lrs.acceptedIds().length, items.length);
    assert.equal(harness.observer.deadLettered, 0);
    assert.equal(harness.service.health()[0]?.state, 'healthy');
  });
});
