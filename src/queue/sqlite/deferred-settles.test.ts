import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Settlement } from '../port.js';
import { DeferredSettles } from './deferred-settles.js';

describe('DeferredSettles', () => {
  it('keeps settlements the full disk refused, in order, holds their leases, blocks their router, and writes them once there is room', () => {
    let full = true;
    const written: Settlement[][] = [];
    const ended: string[] = [];
    const held: number[] = [];
    const deferred = new DeferredSettles(
      (s) => {
        if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        written.push([...s]);
      },
      (s) => ended.push(...s.map((x) => x.id)),
      (seq) => (seq < 10 ? 'r1' : 'r2'),
      (seq) => held.push(seq),
      60_000,
    );
    deferred.settle([
      { id: '1', kind: 'ack' },
      { id: '2', kind: 'ack' },
    ]);
    deferred.settle([{ id: '3', kind: 'retry', at: 5, error: 'HTTP 503' }]);
    assert.equal(deferred.size, 3);
    assert.deepEqual(held, [1, 2, 3]);
    assert.equal(deferred.blocks('r1'), true);
    assert.equal(deferred.blocks('r2'), false);
    assert.equal(deferred.flush(), false);

    full = false;
    deferred.settle([{ id: '11', kind: 'ack' }]);
    assert.deepEqual(
      written.map((batch) => batch.map((s) => s.id)),
      [['1', '2', '3'], ['11']],
      'the waiting ones first',
    );
    assert.deepEqual(ended, ['1', '2', '3', '11']);
    assert.equal(deferred.size, 0);
    assert.equal(deferred.blocks('r1'), false);
    deferred.stop();
  });

  it('throws any other error, as before', () => {
    const deferred = new DeferredSettles(
      () => {
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      },
      () => undefined,
      () => 'r1',
      () => undefined,
    );
    assert.throws(() => deferred.settle([{ id: '1', kind: 'ack' }]), /disk I\/O error/);
    assert.equal(deferred.size, 0);
  });
});
