import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchDecision } from './batch-gate.js';

const batching = { enabled: true, size: 10, intervalMs: 1000 };

describe('batch gate', () => {
  it('is idle with nothing ready', () => {
    assert.deepEqual(batchDecision(batching, { ready: 0, oldestReadyAt: null, retrying: false }, 5000, true), { kind: 'idle' });
  });
  it('sends a full batch at once', () => {
    assert.deepEqual(batchDecision(batching, { ready: 10, oldestReadyAt: 4999, retrying: false }, 5000, false), { kind: 'send', size: 10 });
  });
  it('waits for a partial batch until its oldest statement has waited the interval', () => {
    assert.deepEqual(batchDecision(batching, { ready: 3, oldestReadyAt: 4500, retrying: false }, 5000, false), { kind: 'wait', untilMs: 5500 });
    assert.deepEqual(batchDecision(batching, { ready: 3, oldestReadyAt: 4000, retrying: false }, 5000, false), { kind: 'send', size: 10 });
  });
  it('sends a partial batch when flushing', () => {
    assert.deepEqual(batchDecision(batching, { ready: 3, oldestReadyAt: 4999, retrying: false }, 5000, true), { kind: 'send', size: 10 });
  });
  it('sends a partial batch at once when one of its statements is due again after a failure', () => {
    assert.deepEqual(batchDecision(batching, { ready: 3, oldestReadyAt: 4999, retrying: true }, 5000, false), { kind: 'send', size: 10 });
  });
  it('sends one at a time when batching is off', () => {
    assert.deepEqual(batchDecision({ ...batching, enabled: false }, { ready: 3, oldestReadyAt: 4999, retrying: false }, 5000, false), {
      kind: 'send',
      size: 1,
    });
  });
});
