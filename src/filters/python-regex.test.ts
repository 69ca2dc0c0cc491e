import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePythonRegex, translatePythonEscapes } from './python-regex.js';

describe('compilePythonRegex: Python re syntax on RE2', () => {
  const valid: Array<[string, string, boolean]> = [
    ['^.*course-v.:edX\\+.*\\+2021.*$', 'course-v1:edX+E2E+2021+course', true],
    ['video', 'stop_video', true],
    ['edX', 'edX2', true],
    ['', '', true],
    ['^problem.*', 'xproblem_check', false],
    ['(?P<name>a)b', 'xab', true],
    ['abc\\Z', 'xabc', true],
    ['abc\\Z', 'abc\n', false],
    ['\\u00e9t\\u00e9', 'été', true],
  ];
  for (const [pattern, input, expected] of valid) {
    it(`${JSON.stringify(pattern)} searched in ${JSON.stringify(input)} → ${expected}`, () => {
      const outcome = compilePythonRegex(pattern);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.equal(outcome.regex.test(input), expected);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['(', /missing closing \)/],
    ['(a)\\1', /backreference/],
    ['(?P<n>a)(?P=n)', /backreference/],
    ['foo(?=bar)', /lookahead/],
    ['foo(?!bar)', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['(?>a)', /atomic group/],
    ['a*+', /possessive/],
    ['(?x) a', /flags x, a, L and u/],
    ['a(?#note)', /inline comment/],
  ];
  for (const [pattern, message] of refused) {
    it(`refuses ${JSON.stringify(pattern)} with a clear message`, () => {
      const outcome = compilePythonRegex(pattern);
      assert.equal(outcome.ok, false);
      if (!outcome.ok) {
        assert.match(outcome.message, message);
        assert.ok(outcome.message.includes(JSON.stringify(pattern)), 'the message names the pattern');
      }
    });
  }

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const outcome = compilePythonRegex('^(a+)+$');
    assert.ok(outcome.ok);
    const started = Date.now();
    assert.equal(outcome.regex.test(`${'a'.repeat(50_000)}b`), false);
    assert.ok(Date.now() - started < 2000);
  });

  it('leaves escaped backslashes alone when translating', () => {
    assert.equal(translatePythonEscapes('\\\\Z'), '\\\\Z');
    assert.equal(translatePythonEscapes('a\\Z'), 'a\\z');
  });
});
