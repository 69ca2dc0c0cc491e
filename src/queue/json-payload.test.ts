import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonPayload } from './json-payload.js';

describe('JsonPayload', () => {
  it('holds the JSON text of a value and parses it back once', () => {
    const statement = { id: 's1', s: 'é "\\ \u2028', n: 1e21, a: [null, false] };
    const payload = JsonPayload.of(statement);
    assert.equal(payload.text, JSON.stringify(statement));
    assert.deepEqual(payload.value(), statement);
    assert.notEqual(payload.value(), statement, 'a copy, not the caller’s object');
    assert.equal(payload.value(), payload.value(), 'parsed once');
  });

  it('keeps a stored text as it is and parses it only when read', () => {
    const payload = JsonPayload.fromText('{"b":1,  "a":2}');
    assert.equal(payload.text, '{"b":1,  "a":2}');
    assert.deepEqual(payload.value(), { b: 1, a: 2 });
    assert.throws(() => JsonPayload.fromText('{not json').value(), SyntaxError);
  });

  it('refuses a value that has no JSON text', () => {
    assert.throws(() => JsonPayload.of(undefined), TypeError);
    assert.throws(() => JsonPayload.of(() => 1), TypeError);
    assert.throws(
      () => JsonPayload.of({ big: 1n }),
      (error: unknown) => error instanceof TypeError && /BigInt/.test(error.message),
    );
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    assert.throws(() => JsonPayload.of(cycle), TypeError);
  });
});
