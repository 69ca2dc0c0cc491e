import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Uuid5SuffixHasher } from './sha1-prefix.js';
import { uuid5OfMessage } from './uuid5.js';

const hasher = new Uuid5SuffixHasher();
const sha1Prefix = (prefix: Uint8Array) => hasher.prefix(prefix);
const uuid5WithSuffix = (prefix: ReturnType<typeof sha1Prefix>, suffix: string): string => hasher.uuid5WithSuffix(prefix, suffix);

describe('uuid5WithSuffix', () => {
  it('equals uuid5 of the whole message for every prefix and suffix length around the block edges', () => {
    for (let prefixLength = 0; prefixLength <= 200; prefixLength++) {
      const prefix = randomBytes(prefixLength);
      const state = sha1Prefix(prefix);
      for (let suffixLength = 0; suffixLength <= 128; suffixLength += prefixLength % 7 === 0 ? 1 : 13) {
        const suffix = randomBytes(suffixLength).toString('base64').slice(0, suffixLength);
        const whole = Buffer.concat([prefix, Buffer.from(suffix, 'latin1')]);
        assert.equal(uuid5WithSuffix(state, suffix), uuid5OfMessage(whole), `${prefixLength}+${suffixLength}`);
      }
    }
  });

  it('hashes as SHA-1 does (the uuid is the digest with version and variant set)', () => {
    const prefix = Buffer.from('abc');
    const digest = createHash('sha1').update('abcdef').digest('hex');
    const uuid = uuid5WithSuffix(sha1Prefix(prefix), 'def');
    assert.equal(uuid.replace(/-/g, '').slice(0, 12), digest.slice(0, 12));
    assert.equal(uuid.charAt(14), '5');
    assert.equal(uuid.slice(15, 18), digest.slice(13, 16));
  });

  it('hashes non-ASCII and over-long suffixes as their UTF-8', () => {
    const prefix = randomBytes(20);
    const state = sha1Prefix(prefix);
    for (const suffix of ['2020-07-15T06:36:01.917775+00:00é', '2020-07-15T06:36:01\ud83d\ude00', 'x'.repeat(129)]) {
      const whole = Buffer.concat([prefix, Buffer.from(suffix, 'utf8')]);
      assert.equal(uuid5WithSuffix(state, suffix), uuid5OfMessage(whole), suffix);
    }
  });

  it('a prefix state can be reused: hashing does not change it', () => {
    const prefix = randomBytes(150);
    const state = sha1Prefix(prefix);
    const first = uuid5WithSuffix(state, '-one');
    uuid5WithSuffix(state, '-two');
    assert.equal(uuid5WithSuffix(state, '-one'), first);
  });

  it('owes nothing to the ids made before it in the same scratch space', () => {
    // The tail, digest and schedule are overwritten by every id: a long suffix (two tail blocks)
    // hashed first must leave nothing that a short one then reads.
    const prefix = randomBytes(100);
    const fresh = new Uuid5SuffixHasher().uuid5WithSuffix(new Uuid5SuffixHasher().prefix(prefix), '2020-07-15');
    const used = new Uuid5SuffixHasher();
    const state = used.prefix(prefix);
    used.uuid5WithSuffix(used.prefix(randomBytes(63)), 'x'.repeat(120));
    assert.equal(used.uuid5WithSuffix(state, '2020-07-15'), fresh);
  });
});
