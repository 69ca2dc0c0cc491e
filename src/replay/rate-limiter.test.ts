import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('holds the long-run rate, batches larger than the bucket included', async () => {
    const limiter = createRateLimiter(2000);
    const started = performance.now();
    // 1 s of tokens to start with, then 3 batches of 1000 at 2000/s: about 1 s more.
    for (let i = 0; i < 4; i++) await limiter.take(1000);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds >= 0.9 && seconds < 2.5, `took ${seconds} s`);
  });

  it('lets a small rate through a bigger batch by borrowing, then makes the next wait', async () => {
    const limiter = createRateLimiter(100);
    const started = performance.now();
    await limiter.take(150);
    assert.ok(performance.now() - started < 100, 'a full bucket lets the big batch go at once');
    // 50 tokens owed, 30 more wanted: 0.8 s at 100/s.
    await limiter.take(30);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds >= 0.75 && seconds < 2, `took ${seconds} s`);
  });

  it('gives up waiting when aborted', async () => {
    const limiter = createRateLimiter(1);
    await limiter.take(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await limiter.take(1, controller.signal);
    assert.ok(performance.now() - started < 900);
  });

  it('rejects a rate that is not positive', () => {
    assert.throws(() => createRateLimiter(0), RangeError);
  });
});
