import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRetryPolicy, type RetryableOutcome } from './retry-policy.js';

const down: RetryableOutcome = { status: 'retryable', error: 'HTTP 503', response: { statusCode: 503 } };
const limited = (retryAfterMs?: number): RetryableOutcome =>
  retryAfterMs === undefined
    ? { status: 'retryable', error: 'HTTP 429', response: { statusCode: 429 } }
    : { status: 'retryable', error: 'HTTP 429', retryAfterMs, response: { statusCode: 429 } };

const noJitter = { jitter: 0, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 60_000, maxAgeMs: 3_600_000 };

describe('retry policy', () => {
  it('P01 backs off exponentially from the initial delay up to the cap', () => {
    const policy = createRetryPolicy(noJitter);
    const delays = [1, 2, 3, 4, 7, 8, 50, 5000].map((n) => policy(n, down, 0));
    assert.deepEqual(
      delays.map((d) => ('retryInMs' in d ? d.retryInMs : -1)),
      [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000, 60_000],
    );
  });

  it('P02 spreads delays by the jitter fraction', () => {
    const low = createRetryPolicy({ ...noJitter, jitter: 0.5, random: () => 0 })(2, down, 0);
    const high = createRetryPolicy({ ...noJitter, jitter: 0.5, random: () => 0.999999 })(2, down, 0);
    assert.deepEqual(low, { retryInMs: 1000 });
    assert.deepEqual(high, { retryInMs: 3000 });
  });

  it('P02b uses the jitter sample it is given instead of its own draw', () => {
    const policy = createRetryPolicy({ ...noJitter, jitter: 0.5, random: () => 0 });
    assert.deepEqual(policy(2, down, 0, undefined, 0.5), { retryInMs: 2000 });
  });

  it('P03 honours Retry-After instead of the backoff, capped', () => {
    const policy = createRetryPolicy({ ...noJitter, maxRetryAfterMs: 120_000 });
    assert.deepEqual(policy(1, limited(30_000), 0), { retryInMs: 30_000 });
    assert.deepEqual(policy(1, limited(3_600_000), 0), { retryInMs: 120_000 });
    assert.deepEqual(policy(9, { ...down, retryAfterMs: 5000 }, 0), { retryInMs: 5000 });
  });

  it('P04 gives up on a non-critical item once its budget is spent', () => {
    const policy = createRetryPolicy(noJitter);
    assert.deepEqual(policy(20, down, 3_600_000), { giveUp: true });
    assert.deepEqual(policy(20, down, 3_600_000, { businessCritical: false }), { giveUp: true });
  });

  it('P05 retries business-critical items forever', () => {
    const policy = createRetryPolicy(noJitter);
    assert.deepEqual(policy(500, down, 100 * 3_600_000, { businessCritical: true }), { retryInMs: 60_000 });
  });

  it('P06 schedules the last attempt of a non-critical item at the end of its budget', () => {
    const policy = createRetryPolicy(noJitter);
    assert.deepEqual(policy(10, down, 3_600_000 - 5000), { retryInMs: 5000 });
  });

  it('P07 keeps rate-limit waits out of the budget', () => {
    const policy = createRetryPolicy(noJitter);
    assert.deepEqual(policy(30, limited(10_000), 10 * 3_600_000), { retryInMs: 10_000 });
    assert.deepEqual(policy(1, limited(), 10 * 3_600_000), { retryInMs: 1000 });
  });

  it('P08 treats a negative Retry-After as now', () => {
    assert.deepEqual(createRetryPolicy(noJitter)(1, { ...down, retryAfterMs: -5 }, 0), { retryInMs: 0 });
  });
});
