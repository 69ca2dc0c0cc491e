import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPipelineRunner } from './pipeline-runner.js';
import type { BatchResult } from './process-batch.js';

describe('pipeline runner', () => {
  it('R01 runs batches until empty, sleeps, wakes on new events, drains and stops', async () => {
    let pending = 3;
    const enqueued: string[] = [];
    const runner = createPipelineRunner({
      step: async (): Promise<BatchResult> => {
        if (pending === 0) return { kind: 'empty' };
        pending -= 1;
        return { kind: 'processed', taken: 1, done: 1, deferred: 0, routerIds: ['r'] };
      },
      nextDueAt: () => null,
      onEnqueued: (ids) => enqueued.push(...ids),
      pollMs: 60_000,
    });
    runner.start();
    assert.equal(await runner.drain(2000), true);
    assert.equal(enqueued.length, 3);
    pending = 2;
    runner.wake();
    assert.equal(await runner.drain(2000), true);
    assert.equal(enqueued.length, 5);
    assert.ok(runner.healthy());
    await runner.stop();
    assert.equal(runner.healthy(), false);
  });

  it('R02 backs off after an error and recovers; a stall does not count as drained', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    let result: BatchResult = { kind: 'stalled', reason: 'queue_overflow', message: 'full' };
    const runner = createPipelineRunner({
      step: async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        return result;
      },
      nextDueAt: () => null,
      onError: (error) => errors.push(error),
      stallMs: 20,
    });
    runner.start();
    assert.equal(await runner.drain(300), false, 'stalled: not drained');
    assert.equal(errors.length, 1);
    result = { kind: 'empty' };
    assert.equal(await runner.drain(2000), true);
    await runner.stop();
  });
});
