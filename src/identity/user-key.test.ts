import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatExternalId } from '../transforms/shared/external-id.js';
import { parseUserKey, recordMatches } from './user-key.js';

describe('parseUserKey (ERB get_user: int(x) first)', () => {
  const cases: Array<[string, number | undefined]> = [
    ['42', 42],
    [' 42 ', 42],
    ['+7', 7],
    ['007', 7],
    ['0', undefined],
    ['-3', undefined],
    ['4.5', undefined],
    ['alice', undefined],
    ['12345678901234567890', undefined],
  ];
  for (const [text, id] of cases) {
    it(`"${text}" → ${id ?? 'username only'}`, () => {
      assert.deepEqual(parseUserKey(text), id === undefined ? { text } : { text, id });
    });
  }

  it('matches a record by id, else by exact username', () => {
    assert.equal(recordMatches(parseUserKey('5'), { userId: 5 }), true);
    assert.equal(recordMatches(parseUserKey('5'), { userId: 6, username: '5' }), true);
    assert.equal(recordMatches(parseUserKey('bob'), { username: 'Bob' }), false);
  });
});

describe('formatExternalId', () => {
  it('formats the 32 hex digits Django stores as 8-4-4-4-12, lowercase', () => {
    assert.equal(formatExternalId('32E08E30F8AE4CE294A8C2BFE38A70CB'), '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb');
  });
  it('accepts the hyphenated form (MariaDB uuid columns)', () => {
    assert.equal(formatExternalId('32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb'), '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb');
  });
  it('refuses anything else', () => {
    assert.equal(formatExternalId('not-a-uuid'), undefined);
    assert.equal(formatExternalId('32e08e30f8ae4ce294a8c2bfe38a70c'), undefined);
  });
});
