import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeLrs, lrsAccepts, startFakeLrs, statementsOf } from '../../fakes/fake-lrs.js';
import { statement, statementItems } from '../../fakes/statements.js';
import { type DeliveryHarness, eventually, startDelivery } from './harness.js';
import { xapiRouter } from './scenario.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

const MARKER = 'poison';

describe('a batch with one statement the LRS refuses', () => {
  let lrs: FakeLrs;
  let harness: DeliveryHarness;
  let acceptPoison = false;
  before(async () => {
    lrs = await startFakeLrs((request, index) =>
      !acceptPoison && statementsOf(request.body).some((s) => (s as { marker?: string }).marker === MARKER)
        ? { status: 400, body: { message: 'Statement marker is not allowed' } }
        : lrsAccepts(request, index),
    );
    harness = await startDelivery([xapiRouter(lrs.url, { batching: { enabled: true, size: 100, intervalMs: 50 } })]);
  });
  after(async () => {
    await harness.stop();
    await lrs.close();
  });

  it('delivers all the others and dead-letters that one with its reason and response', { timeout: 20_000 }, async () => {
    const items = statementItems('lrs-1', 99);
    const poison = statement(1000, { marker: MARKER });
    items.splice(61, 0, { routerId: 'lrs-1', eventId: poison.id, eventName: 'edx.bad', payload: JsonPayload.of(poison) });
    assert.ok((await harness.queue.enqueue(items)).ok);
    await eventually(async () => (await harness.queue.stats()).depth === 0, 15_000, 'an empty outbox');

    const others = items.filter((i) => i.eventId !== poison.id).map((i) => i.eventId);
    assert.deepEqual(new Set(lrs.acceptedIds()), new Set(others));
    assert.equal(lrs.acceptedIds().length, others.length, 'each delivered once');
    // Bisecting 100 down to 1 costs about 2·log2(100) requests, not 100.
    assert.ok(lrs.requests.length <= 16, `${lrs.requests.length} requests`);

    const dead = await harness.queue.deadLetters.list({ routerId: 'lrs-1' });
    assert.equal(dead.length, 1);
    assert.equal(dead[0]?.eventId, poison.id);
    assert.equal(dead[0]?.eventName, 'edx.bad');
    assert.equal(dead[0]?.reason, 'lrs_rejected');
    assert.equal(dead[0]?.response?.statusCode, 400);
    assert.match(dead[0]?.response?.body ?? '', /marker is not allowed/);
    assert.deepEqual(dead[0]?.payload.value(), poison);
    assert.equal(harness.observer.of('dead_lettered')[0]?.reason, 'lrs_rejected');
  });

  it('sends a dead letter again once retried from the dead-letter store', { timeout: 20_000 }, async () => {
    acceptPoison = true;
    const [dead] = await harness.queue.deadLetters.list();
    assert.ok(dead);
    assert.deepEqual(await harness.queue.deadLetters.retry({ ids: [dead.id] }), { ok: true, moved: 1 });
    await eventually(() => lrs.acceptedIds().includes(dead.eventId), 10_000, 'the retried statement');
    assert.equal((await harness.queue.deadLetters.list()).length, 0);
  });
});
