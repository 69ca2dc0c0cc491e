import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('serves fresh entries and hides expired ones from get (peek still sees them)', () => {
    let now = 0;
    const cache = new TtlCache<string>({ maxEntries: 10, now: () => now });
    cache.set('a', 'A', 100);
    now = 99;
    assert.equal(cache.get('a'), 'A');
    now = 100;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.peek('a'), 'A');
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new TtlCache<number>({ maxEntries: 2, now: () => 0 });
    cache.set('a', 1, 1_000);
    cache.set('b', 2, 1_000);
    cache.get('a'); // a is now the most recent
    cache.set('c', 3, 1_000);
    assert.equal(cache.size, 2);
    assert.equal(cache.peek('b'), undefined);
    assert.equal(cache.peek('a'), 1);
    assert.equal(cache.peek('c'), 3);
  });

  it('refuses a cache that can hold nothing', () => {
    assert.throws(() => new TtlCache({ maxEntries: 0 }), RangeError);
  });
});
