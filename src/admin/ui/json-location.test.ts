import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonWithLocation } from './json-location.js';

describe('parseJsonWithLocation', () => {
  const cases: Array<{ name: string; text: string; line: number; column: number; message: RegExp }> = [
    { name: 'trailing comma in an object', text: '{\n  "a": 1,\n}', line: 3, column: 1, message: /trailing comma/ },
    { name: 'trailing comma in a list', text: '{"a": [1, 2,]}', line: 1, column: 13, message: /trailing comma/ },
    { name: 'missing comma', text: '{\n  "a": 1\n  "b": 2\n}', line: 3, column: 3, message: /expected "," or "}" after a property value, found "\\""/ },
    { name: 'single quotes', text: "{'a': 1}", line: 1, column: 2, message: /double quotes/ },
    { name: 'unquoted name', text: '{a: 1}', line: 1, column: 2, message: /property name in double quotes/ },
    { name: 'single backslash of a regex', text: '{"name": "^edx\\.video"}', line: 1, column: 15, message: /backslash must be doubled/ },
    { name: 'unclosed string', text: '{"a": "b\n}', line: 1, column: 9, message: /past the end of the line/ },
    { name: 'text ends early', text: '{"a": {"b": 1}', line: 1, column: 15, message: /the text ends/ },
    { name: 'text after the value', text: '{} {}', line: 1, column: 4, message: /unexpected text after the JSON value/ },
    { name: 'bad literal', text: '{"a": True}', line: 1, column: 7, message: /expected a value/ },
  ];
  for (const c of cases) {
    it(`locates: ${c.name}`, () => {
      const outcome = parseJsonWithLocation(c.text);
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.deepEqual([outcome.error.line, outcome.error.column], [c.line, c.column], outcome.error.message);
      assert.match(outcome.error.message, c.message);
    });
  }

  it('parses valid JSON, escapes and unicode included', () => {
    assert.deepEqual(parseJsonWithLocation('{"a": ["\\u00e9\\n", -1.5e3, true, null]}'), { ok: true, value: { a: ['é\n', -1500, true, null] } });
  });
});
