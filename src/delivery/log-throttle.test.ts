import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogThrottle } from './log-throttle.js';

describe('log throttle', () => {
  it('logs the first occurrence, then one line per interval with the count it stands for, per key', () => {
    let clock = 0;
    const throttle = createLogThrottle(10_000, () => clock);
    assert.equal(throttle.take('r1', 2), 2);
    assert.equal(throttle.take('r1'), null);
    assert.equal(throttle.take('r2'), 1, 'keys are separate');
    clock = 9_999;
    assert.equal(throttle.take('r1', 3), null);
    clock = 10_000;
    assert.equal(throttle.take('r1'), 5);
    assert.equal(throttle.take('r1'), null);
  });
});
