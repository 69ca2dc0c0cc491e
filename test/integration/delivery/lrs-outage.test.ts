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
    harness = await startDelivery([xapiRouter(lrs.url)], { retryPolicy: createRetryPolicy({ initialDelayMs: 50, maxDelayMs: 1000, jitter: 0.2 }) });
    const items = statementItems('lrs-1', 500);
    const outcome = await harness.queue.enqueue(items);
    assert.ok(outcome.ok);
    // Every request fails: the circuit opens and the router backs off.
    await eventually(() => harness.service.health()[0]?.state === 'circuit_open', 10_000, 'the circuit to open');
    assert.match(harness.service.health()[0]?.lastError ?? '', /ECONNREFUSED/);
    const attemptsAt = harness.observer.requests;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // One probe a second while it is down, not the whole outbox (50 batches).
    assert.ok(harness.observer.requests - attemptsAt <= 3, `${harness.observer.requests - attemptsAt} requests in 2 s`);

    await lrs.up();
    await eventually(async () => (await harness.queue.stats()).depth === 0, 15_000, 'an empty outbox');
    // Batches go out concurrently (maxInFlight), so arrival order is not outbox order (nor is ERB's).
    assert.deepEqual(new Set(lrs.acceptedIds()), new Set(items.map((i) => i.eventId)));
    assert.equal(lrs.acceptedIds().length, items.length);
    assert.equal(harness.observer.deadLettered, 0);
    assert.equal(harness.service.health()[0]?.state, 'healthy');
  });
});
