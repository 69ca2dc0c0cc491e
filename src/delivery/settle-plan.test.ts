import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeasedItem } from '../queue/port.js';
import type { DeliveryOutcome } from './outcome.js';
import { createRetryPolicy } from './retry-policy.js';
import { planSettlements } from './settle-plan.js';

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
    payload: {},
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
    const plan = planSettlements(
      [{ items: [leased('1')], outcome: { status: 'delivered' } }],
      new Map([['1', [leased('2')]]]),
      ctx,
    );
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'ack' },
      { id: '2', kind: 'ack' },
    ]);
    assert.equal(plan.failure, null);
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
    const plan = planSettlements(
      [{ items: [leased('1', { attempts: 2, firstFailedAt: NOW - 5000 }), leased('2')], outcome: down }],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements, [
      { id: '1', kind: 'retry', at: NOW + 4000, error: 'HTTP 503' },
      { id: '2', kind: 'retry', at: NOW + 1000, error: 'HTTP 503' },
    ]);
    assert.equal(plan.failure, down);
  });

  it('dead-letters a non-critical item past its budget, keeps a critical one', () => {
    const old = { attempts: 30, firstFailedAt: NOW - 60_000 };
    const plan = planSettlements(
      [{ items: [leased('1', old), leased('2', { ...old, businessCritical: true })], outcome: down }],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements.map((s) => [s.id, s.kind]), [
      ['1', 'dead'],
      ['2', 'retry'],
    ]);
    assert.equal(plan.dead[0]?.reason, 'retries_exhausted');
  });

  it('on 401 releases items uncounted and reports unauthorized', () => {
    const plan = planSettlements(
      [{ items: [leased('1')], outcome: { status: 'rejected', error: 'HTTP 401', unhealthy: true, response: { statusCode: 401 } } }],
      new Map(),
      ctx,
    );
    assert.deepEqual(plan.settlements, [{ id: '1', kind: 'release' }]);
    assert.equal(plan.unauthorized, true);
    assert.equal(plan.failure, null);
  });

  it('releases aborted requests when shutting down, and counts them otherwise', () => {
    const groups = [{ items: [leased('1')], outcome: aborted }];
    assert.deepEqual(planSettlements(groups, new Map(), { ...ctx, shuttingDown: true }).settlements, [{ id: '1', kind: 'release' }]);
    assert.equal(planSettlements(groups, new Map(), ctx).settlements[0]?.kind, 'retry');
  });
});
