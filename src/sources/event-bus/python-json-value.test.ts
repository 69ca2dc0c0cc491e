import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps } from '../../transforms/shared/python-json.js';
import { fromJsonValue, PythonDict, readPythonJson } from './python-json-value.js';

/** `json.dumps(json.loads(text))`, written here from Python's rules (checked against CPython). */
function roundTrip(text: string): string {
  const read = readPythonJson(text);
  assert.ok(read.ok, read.ok ? '' : read.message);
  return pythonJsonDumps(read.value);
}

describe('readPythonJson', () => {
  it('keeps floats, big integers and key order as json.loads does, for json.dumps to write back', () => {
    assert.equal(
      roundTrip('{"b": 1.0, "2": 1e-07, "a": 12345678901234567890, "n": NaN, "i": -Infinity, "u": "é\\u2603", "l": [1E5, -0, 0.5, 1e400], "b": 2.50}'),
      '{"b": 2.5, "2": 1e-07, "a": 12345678901234567890, "n": NaN, "i": -Infinity, "u": "\\u00e9\\u2603", "l": [100000.0, 0, 0.5, Infinity]}',
    );
    assert.equal(roundTrip(' [ true ,false,null, "x\\"y" , {} , [] ] '), '[true, false, null, "x\\"y", {}, []]');
    assert.equal(roundTrip('{"10": 1, "1": 2, "x": 3}'), '{"10": 1, "1": 2, "x": 3}');
  });

  it('refuses what json.loads refuses', () => {
    for (const text of ['{"a": 1,}', '{"a" 1}', "{'a': 1}", '[1 2]', '{"a": NaNa}', '{"a": 01}', '"\u0001"', '{"a": 1} x', '']) {
      assert.equal(readPythonJson(text).ok, false, text);
    }
  });
});

describe('fromJsonValue', () => {
  it('takes integral numbers as ints and others as floats, objects in their JS key order', () => {
    const value = fromJsonValue({ b: 1, a: [0.5, 2 ** 60, null], c: 'x' });
    assert.ok(value instanceof PythonDict);
    assert.equal(pythonJsonDumps(value), '{"b": 1, "a": [0.5, 1152921504606846976, null], "c": "x"}');
  });
});
