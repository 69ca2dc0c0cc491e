import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInFlight } from './in-flight.js';

describe('in-flight limit', () => {
  it('refuses tasks beyond the limit without starting them, and drains', async () => {
    const inFlight = createInFlight(2);
    const releases: (() => void)[] = [];
    const task = () => new Promise<void>((resolve) => releases.push(resolve));
    let started = 0;
    assert.equal(
      inFlight.tryRun(() => (started++, task())),
      true,
    );
    assert.equal(
      inFlight.tryRun(() => (started++, task())),
      true,
    );
    assert.equal(
      inFlight.tryRun(() => (started++, task())),
      false,
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started, 2);
    assert.equal(inFlight.size, 2);
    assert.equal(await inFlight.drain(20), false);
    for (const release of releases) release();
    assert.equal(await inFlight.drain(1000), true);
    assert.equal(inFlight.size, 0);
  });

  it('reports a task that throws and frees its slot', async () => {
    const errors: unknown[] = [];
    const inFlight = createInFlight(1, (e) => errors.push(e));
    inFlight.tryRun(async () => {
      throw new Error('boom');
    });
    assert.equal(await inFlight.drain(1000), true);
    assert.equal((errors[0] as Error).message, 'boom');
    assert.equal(
      inFlight.tryRun(async () => {}),
      true,
    );
  });
});
