import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uuid1 } from './uuid1.js';

describe('uuid1', () => {
  it('is a version-1, RFC 4122-variant UUID', () => {
    assert.match(uuid1(), /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('encodes the time (Python uuid.UUID(...).time)', () => {
    const ms = Date.UTC(2024, 4, 1, 12, 34, 56, 123);
    const id = uuid1(ms);
    const [low, mid, hi] = id.split('-') as [string, string, string];
    const ticks = (BigInt('0x' + hi.slice(1)) << 48n) | (BigInt('0x' + mid) << 32n) | BigInt('0x' + low);
    const back = Number((ticks - 0x01b21dd213814000n) / 10_000n);
    assert.equal(back, ms);
  });

  it('never repeats within one millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuid1(1_700_000_000_000)));
    assert.equal(ids.size, 1000);
  });
});
