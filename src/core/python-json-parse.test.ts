import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePythonJson } from './python-json-parse.js';

describe('parsePythonJson', () => {
  it('parses plain JSON', () => {
    assert.deepEqual(parsePythonJson('{"a": [1, 2.5, "x"], "b": null}'), { ok: true, value: { a: [1, 2.5, 'x'], b: null } });
  });

  it("accepts Python's bare NaN, Infinity and -Infinity", () => {
    const outcome = parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity], "c": 1}');
    assert.ok(outcome.ok);
    const value = outcome.value as { a: number; b: number[]; c: number };
    assert.ok(Number.isNaN(value.a));
    assert.deepEqual(value.b, [Infinity, -Infinity]);
    assert.equal(value.c, 1);
  });

  it('leaves the words alone inside strings', () => {
    const outcome = parsePythonJson('{"a": "NaN \\" Infinity", "b": NaN}');
    assert.ok(outcome.ok);
    assert.equal((outcome.value as { a: string }).a, 'NaN " Infinity');
  });

  it('takes the error of a JSON.parse the caller already tried, and parses once more only for NaN/Infinity', () => {
    assert.deepEqual(parsePythonJson('{"a": ', 'earlier message'), { ok: false, message: 'earlier message' });
    const outcome = parsePythonJson('{"a": NaN}', 'earlier message');
    assert.ok(outcome.ok && Number.isNaN((outcome.value as { a: number }).a));
  });

  it('still rejects text that is not JSON', () => {
    assert.equal(parsePythonJson('{"a": NaNa}').ok, false);
    assert.equal(parsePythonJson('{"a": ').ok, false);
    assert.equal(parsePythonJson("{'a': 1}").ok, false);
  });
});
