import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPipelineRunner, type StartedBatch } from './pipeline-runner.js';
import type { BatchResult } from './process-batch.js';

/** A step whose batch is written by the time it is prepared. */
const written = (step: () => Promise<BatchResult>) => async (): Promise<StartedBatch> => {
  const result = await step();
  return result.kind === 'empty' ? result : { kind: 'started', committed: Promise.resolve(result) };
};

describe('pipeline runner', () => {
  it('R01 runs batches until empty, sleeps, wakes on new events, drains and stops', async () => {
    let pending = 3;
    const enqueued: string[] = [];
    const runner = createPipelineRunner({
      step: written(async (): Promise<BatchResult> => {
        if (pending === 0) return { kind: 'empty' };
        pending -= 1;
        return { kind: 'processed', taken: 1, done: 1, deferred: 0, routerIds: ['r'] };
      }),
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
      step: written(async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        return result;
      }),
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

  it('R03 prepares the next batch while the one before is written; a stall lets it finish first', async () => {
    const log: string[] = [];
    const writes: Array<(result: BatchResult) => void> = [];
    let batches = 0;
    const runner = createPipelineRunner({
      step: async (): Promise<StartedBatch> => {
        if (batches === 3) return { kind: 'empty' };
        const n = ++batches;
        log.push(`prepared ${n}`);
        return { kind: 'started', committed: new Promise<BatchResult>((resolve) => writes.push(resolve)) };
      },
      nextDueAt: () => null,
      onEnqueued: (ids) => log.push(`written ${ids.join()}`),
      onStall: (message) => log.push(`stalled ${message}`),
      stallMs: 10,
      pollMs: 60_000,
    });
    runner.start();
    const until = async (predicate: () => boolean): Promise<void> => {
      while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    // Batch 2 is prepared while batch 1 is still being written, and no third before 1 is done.
    await until(() => log.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(log, ['prepared 1', 'prepared 2']);
    writes[0]?.({ kind: 'stalled', reason: 'queue_overflow', message: 'full' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(log, ['prepared 1', 'prepared 2', 'stalled full'], 'after a stall, nothing is taken while batch 2 is in flight');
    writes[1]?.({ kind: 'processed', taken: 1, done: 1, deferred: 0, routerIds: ['b2'] });
    await until(() => log.length === 5);
    assert.deepEqual(log.slice(3), ['written b2', 'prepared 3']);
    const stopped = runner.stop();
    let stoppedYet = false;
    void stopped.then(() => (stoppedYet = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(stoppedYet, false, 'stop waits for the batch being written');
    writes[2]?.({ kind: 'processed', taken: 1, done: 1, deferred: 0, routerIds: ['b3'] });
    await stopped;
    assert.deepEqual(log.slice(5), ['written b3']);
  });
});
