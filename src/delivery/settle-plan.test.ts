import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeasedItem } from '../queue/port.js';
import type { DeliveryOutcome } from './outcome.js';
import { createRetryPolicy } from './retry-policy.js';
import { planSettlements } from './settle-plan.js';
import { JsonPayload } from '../queue/json-payload.js';

const NOW = 1_000_000;
const policy = createRetryPolicy({ jitter: 0, initialDelayMs: 1000, maxAgeMs: 60_000 });
const ctx = { nowMs: NOW, policy, shuttingDown: false };

function leased(id: string, extra: Partial<LeasedItem> = {}): LeasedItem {
  return {
    id,
    routerId: 'r',
    eventId: `e${id}`,
    eventName: null,
    businessCritical: false,
    payload: JsonPayload.of({}),
    enqueuedAt: NOW - 10,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    firstFailedAt: null,
    leaseUntil: NOW + 1000,
    ...extra,
  };
}

const down: DeliveryOutcome = { status: 'retryable', error: 'HTTP 503', response: { statusCode: 503 } };
const aborted: DeliveryOutcome = { status: 'retryable', error: 'ABORTED', response: { errorCode: 'ABORTED' } };

describe('settlement plan', () => {
  it('acks delivered items and their repeats', () => {
    const plan = planSettlements([{ items: [leased('1')], outcome: { status: 'delivered' } }], new Map([['1', [leased('2')]]]), ctx);
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'ack' },
      { id: '2', kind: 'ack' },
    ]);
  });

  it('dead-letters a rejected statement with the response', () => {
    const plan = planSettlements(
      [{ items: [leased('1')], outcome: { status: 'rejected', error: 'HTTP 400', response: { statusCode: 400, body: 'bad' } } }],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements, [{ id: '1', kind: 'dead', reason: 'lrs_rejected', response: { statusCode: 400, body: 'bad' } }]);
    assert.equal(plan.lastError, 'HTTP 400');
  });

  it('retries each item with its own backoff and reports the failure', () => {
    const plan = planSettlements([{ items: [leased('1', { attempts: 2, firstFailedAt: NOW - 5000 }), leased('2')], outcome: down }], new Map(), ctx);
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'retry', at: NOW + 4000, error: 'HTTP 503' },
      { id: '2', kind: 'retry', at: NOW + 1000, error: 'HTTP 503' },
    ]);
    assert.equal(plan.lastError, 'HTTP 503');
  });

  it('gives the statements of one failed request one retry time, so they stay one batch', () => {
    const jittery = { ...ctx, policy: createRetryPolicy({ jitter: 0.5, initialDelayMs: 1000, maxAgeMs: 60_000 }) };
    const plan = planSettlements([{ items: [leased('1'), leased('2'), leased('3')], outcome: down }], new Map(), jittery);
    const times = new Set(plan.settlements.map((s) => (s.kind === 'retry' ? s.at : -1)));
    assert.equal(times.size, 1, `retry times ${[...times].join(', ')}`);
  });

  it('dead-letters a non-critical item past its budget, keeps a critical one', () => {
    const old = { attempts: 30, firstFailedAt: NOW - 60_000 };
    const plan = planSettlements([{ items: [leased('1', old), leased('2', { ...old, businessCritical: true })], outcome: down }], new Map(), ctx);
    assert.deepEqual(
      plan.settlements.map((s) => [s.id, s.kind]),
      [
        ['1', 'dead'],
        ['2', 'retry'],
      ],
    );
    assert.equal(plan.dead[0]?.reason, 'retries_exhausted');
  });

  it('on 401 releases items uncounted', () => {
    const plan = planSettlements(
      [{ items: [leased('1')], outcome: { status: 'rejected', error: 'HTTP 401', unhealthy: true, response: { statusCode: 401 } } }],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements, [{ id: '1', kind: 'release' }]);
    assert.equal(plan.lastError, 'HTTP 401');
  });

  it('while the destination is down, gives failed items back uncounted for the next probe; a 429 still waits its turn', () => {
    const limited: DeliveryOutcome = { status: 'retryable', error: 'HTTP 429', retryAfterMs: 2000, response: { statusCode: 429 } };
    const plan = planSettlements(
      [
        { items: [leased('1', { attempts: 3, firstFailedAt: NOW - 5000 })], outcome: down },
        { items: [leased('2')], outcome: limited },
      ],
      new Map(),
      { ...ctx, holdUntil: NOW + 700 },
    );
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'release', at: NOW + 700 },
      { id: '2', kind: 'retry', at: NOW + 2000, error: 'HTTP 429' },
    ]);
  });

  it('dead-letters a statement answered 409 on its own as a conflict, with the answer', () => {
    const conflict: DeliveryOutcome = { status: 'delivered', statusCode: 409, alreadyStored: true, response: { statusCode: 409, body: 'exists' } };
    const plan = planSettlements(
      [
        { items: [leased('1')], outcome: { status: 'delivered' } },
        { items: [leased('2')], outcome: conflict },
      ],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'ack' },
      { id: '2', kind: 'dead', reason: 'conflict', response: { statusCode: 409, body: 'exists' } },
    ]);
    assert.deepEqual(
      plan.delivered.map((item) => item.id),
      ['1'],
    );
  });

  it('dead-letters a different statement with an id already in the batch as a conflict', () => {
    const plan = planSettlements([{ items: [leased('1')], outcome: { status: 'delivered' } }], new Map(), {
      ...ctx,
      conflicting: [leased('2', { eventId: 'e1' })],
    });
    assert.deepEqual(
      plan.settlements.map((s) => [s.id, s.kind, s.kind === 'dead' ? s.reason : '']),
      [
        ['2', 'dead', 'conflict'],
        ['1', 'ack', ''],
      ],
    );
  });

  it('releases aborted requests when shutting down, and counts them otherwise', () => {
    const groups = [{ items: [leased('1')], outcome: aborted }];
    assert.deepEqual(planSettlements(groups, new Map(), { ...ctx, shuttingDown: true }).settlements, [{ id: '1', kind: 'release' }]);
    assert.equal(planSettlements(groups, new Map(), ctx).settlements[0]?.kind, 'retry');
  });
});
