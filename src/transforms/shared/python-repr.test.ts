import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../core/event.js';
import { pythonFloatRepr, pythonRepr, pythonStr } from './python-repr.js';

// Expected values printed by CPython 3 (repr / str of the json.loads'ed value).
describe('pythonRepr (Python repr of JSON values)', () => {
  const strings: Array<[string, string]> = [
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tnl\nret\r', "'tab\\tnl\\nret\\r'"],
    ['café ☕ 😀', "'café ☕ 😀'"],
    ['\u0000\u001f\u007f', "'\\x00\\x1f\\x7f'"],
    ['\u00a0nbsp', "'\\xa0nbsp'"],
    ['zero\u200bwidth', "'zero\\u200bwidth'"],
    ['\u2028', "'\\u2028'"],
    ['\ud800', "'\\ud800'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['日本語', "'日本語'"],
  ];
  for (const [text, expected] of strings) {
    it(`quotes ${JSON.stringify(text)}`, () => assert.equal(pythonRepr(text), expected));
  }

  it('renders a dict answer as tincan does (str() of the dict)', () => {
    const answers: JsonValue = {
      a0_2_1: ['choice_0', 'choice_2'],
      x: null,
      b: true,
      f: false,
      n: 3,
      fl: 0.5,
      u: 'café',
      nested: { k: [1, 'two'] },
      e: {},
      l: [],
    };
    assert.equal(
      pythonRepr(answers),
      "{'a0_2_1': ['choice_0', 'choice_2'], 'x': None, 'b': True, 'f': False, 'n': 3, 'fl': 0.5, " +
        "'u': 'café', 'nested': {'k': [1, 'two']}, 'e': {}, 'l': []}",
    );
  });

  it('str() keeps text as it is and reprs everything else', () => {
    assert.equal(pythonStr("it's"), "it's");
    assert.equal(pythonStr(7), '7');
    assert.equal(pythonStr(true), 'True');
    assert.equal(pythonStr(null), 'None');
    assert.equal(pythonStr(['a']), "['a']");
  });
});

describe('pythonFloatRepr (repr of a float)', () => {
  const cases: Array<[number, string]> = [
    [0.5, '0.5'],
    [1e-5, '1e-05'],
    [1e16, '1e+16'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [0.0001, '0.0001'],
    [2.5e-7, '2.5e-07'],
    [123456789.125, '123456789.125'],
    [-0, '-0.0'],
    [1e22, '1e+22'],
    [9007199254740992, '9007199254740992.0'],
    [1.5e300, '1.5e+300'],
    [100, '100.0'],
    [-2.5, '-2.5'],
    [Infinity, 'inf'],
    [NaN, 'nan'],
  ];
  for (const [value, expected] of cases) {
    it(`renders ${value}`, () => assert.equal(pythonFloatRepr(value), expected));
  }
});
