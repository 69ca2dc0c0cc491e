import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_LOOKUPS, type Lookups } from './lookups.js';
import { mintingLookups } from './minting-lookups.js';

describe('mintingLookups', () => {
  const known: Lookups = { ...EMPTY_LOOKUPS, anonymousId: (user) => (user === 'alice' ? 'a1a1a1a1-0000-4000-8000-000000000001' : undefined) };

  it('answers known users from the base lookups', () => {
    assert.equal(mintingLookups(known).anonymousId('alice', 'xapi'), 'a1a1a1a1-0000-4000-8000-000000000001');
  });

  it('mints one UUID per unknown user and backend, kept for the run', () => {
    const lookups = mintingLookups(known);
    const bob = lookups.anonymousId('bob', 'xapi');
    assert.match(bob ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(lookups.anonymousId('bob', 'xapi'), bob);
    assert.notEqual(lookups.anonymousId('bob', 'caliper'), bob);
    assert.notEqual(lookups.anonymousId('carol', 'xapi'), bob);
  });
});
