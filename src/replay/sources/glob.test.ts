import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, isGlob } from './glob.js';

describe('compileGlob', () => {
  it('splits off the directory to walk', () => {
    assert.equal(compileGlob('logs/2024/*.gz').base, 'logs/2024');
    assert.equal(compileGlob('*.gz').base, '.');
    assert.equal(compileGlob('/var/log/**/tracking*').base, '/var/log');
    assert.equal(compileGlob('logs/*.gz').deep, false);
    assert.equal(compileGlob('logs/**/*.gz').deep, true);
  });


  const cases: Array<[string, string, boolean]> = [
    ['logs/*.gz', 'tracking.log-1.gz', true],
    ['logs/*.gz', 'sub/tracking.gz', false],
    ['logs/**/*.gz', 'tracking.gz', true],
    ['logs/**/*.gz', 'a/b/tracking.gz', true],
    ['logs/**', 'a/b/c', true],
    ['logs/tracking.log-2024-0[1-3]*', 'tracking.log-2024-02-01.gz', true],
    ['logs/tracking.log-2024-0[!1-3]*', 'tracking.log-2024-02-01.gz', false],
    ['logs/*.{gz,log}', 'x.log', true],
    ['logs/*.{gz,log}', 'x.txt', false],
    ['logs/track?ng.log', 'tracking.log', true],
    ['logs/a+b(1).*', 'a+b(1).gz', true],
  ];
  for (const [pattern, relative, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${relative}`, () => {
      assert.equal(compileGlob(pattern).matches(relative), expected);
    });
  }

  it('tells globs from paths', () => {
    assert.equal(isGlob('logs/tracking.log'), false);
    assert.equal(isGlob('logs/*.gz'), true);
  });
});
