import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps } from './python-json.js';

describe('pythonJsonDumps (Python json.dumps defaults)', () => {
  const cases: Array<[unknown, string]> = [
    [{ a: 1, b: [true, null, 'x'] }, '{"a": 1, "b": [true, null, "x"]}'],
    ['caf\u00e9', '"caf\\u00e9"'],
    ['\u{1F600}', '"\\ud83d\\ude00"'],
    ['a/b', '"a/b"'],
    ['tab\there\n"q"\\', '"tab\\there\\n\\"q\\"\\\\"'],
    ['\u0001\u007f', '"\\u0001\\u007f"'],
    [[], '[]'],
    [{}, '{}'],
    [{ x: undefined, y: 2 }, '{"y": 2}'],
    [NaN, 'NaN'],
    [1.5, '1.5'],
  ];
  for (const [value, expected] of cases) {
    it(`renders ${JSON.stringify(value) ?? String(value)}`, () => {
      assert.equal(pythonJsonDumps(value), expected);
    });
  }
});
