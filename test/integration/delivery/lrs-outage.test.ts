import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRetryPolicy } from '../../../src/delivery/retry-policy.js';
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
    // Pauses of at most a second (±20 %), so that the second watched below holds at most two.
    harness = await startDelivery([xapiRouter(lrs.url)], { retryPolicy: createRetryPolicy({ initialDelayMs: 50, maxDelayMs: 1000, jitter: 0.2 }) });
    const items = statementItems('lrs-1', 500);
    const outcome = await harness.queue.enqueue(items);
    assert.ok(outcome.ok);
    // Refused connections are retried with backoff while it is down.
    await eventually(() => harness.observer.retried >= 50 * 3, 10_000, 'three failed attempts');
    const health = harness.service.health()[0];
    assert.equal(health?.state, 'backing_off');
    assert.match(health?.lastError ?? '', /ECONNREFUSED/);
    // Once the pause has grown (over 600 ms), a second holds at most two rounds of 4 requests (maxInFlight).
    await eventually(() => (harness.service.health()[0]?.pausedUntil ?? 0) - Date.now() > 600, 10_000, 'a long pause');
    const attemptsAt = harness.observer.requests;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Paused between attempts: a second of outage costs a few requests, not the whole outbox (10 batches).
    assert.ok(harness.observer.requests - attemptsAt <= 8, `${harness.observer.requests - attemptsAt} requests in 1 s`);

    await lrs.up();
    await eventually(async () => (await harness.queue.stats()).depth === 0, 15_000, 'an empty outbox');
    // Batches go out concurrently (maxInFlight), so arrival order is not outbox order (nor is ERB's).
    assert.deepEqual(new Set(lrs.acceptedIds()), new Set(items.map((i) => i.eventId)));
    assert.equal(lrs.acceptedIds().length, items.length);
    assert.equal(harness.observer.deadLettered, 0);
    assert.equal(harness.service.health()[0]?.state, 'healthy');
  });
});
