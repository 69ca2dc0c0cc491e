import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileGlob, isGlob } from './glob.js';
import { filesMatching } from './files-matching.js';

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
  // Where a glob library's defaults differ from a shell's: the shell's answer is the one kept.
  const shellCases: Array<[string, string, boolean]> = [
    ['logs/*', '.hidden', true],
    ['logs/**/*.gz', '.old/tracking.gz', true],
    ['logs/tracking (1).*', 'tracking (1).log', true],
    ['logs/tracking (1).*', 'tracking 1.log', false],
    ['logs/!(x).gz', '!(x).gz', true],
    ['logs/!(x).gz', 'y.gz', false],
    ['logs/!a*', '!ab', true],
    ['logs/!a*', 'b', false],
    ['logs/+(a)@(b).gz', '+(a)@(b).gz', true],
    ['logs/x[!0-9]', 'xa', true],
    ['logs/x[!0-9]', 'x5', false],
    ['logs/a?b', 'a/b', false],
    ['logs/a.b', 'aXb', false],
    ['logs/a$b^c.gz', 'a$b^c.gz', true],
    ['logs/**/x', 'x', true],
    ['logs/2024-*/tracking.log', '2024-01/tracking.log', true],
    ['logs/2024-*/tracking.log', '2024-01/sub/tracking.log', false],
    ['logs/{tracking*,audit?}.gz', 'tracking-1.gz', true],
    ['logs/{tracking*,audit?}.gz', 'audit1.gz', true],
    ['logs/{tracking*,audit?}.gz', 'other.gz', false],
    ['logs/*.{gz,{log,txt}}', 'a.txt', true],
    ['logs/a\\*b', 'a*b', true],
    ['logs/a\\*b', 'axb', false],
  ];
  for (const [pattern, relative, expected] of [...cases, ...shellCases]) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${relative}`, () => {
      assert.equal(compileGlob(pattern).matches(relative), expected);
    });
  }

  it('walks from the last directory before the first glob character, parentheses and all', () => {
    assert.equal(compileGlob('/var/log (old)/*.gz').base, '/var/log (old)');
    assert.equal(compileGlob('/var/log/2024-*/tracking.log').deep, true);
  });

  it('lists matching files of a real directory in path order, dot files included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replay-glob-'));
    try {
      for (const name of ['b.gz', 'a (1).gz', '.hidden.gz', 'sub/c.gz', 'sub/deeper/d.gz', 'notes.txt']) {
        await mkdir(join(dir, name, '..'), { recursive: true });
        await writeFile(join(dir, name), '');
      }
      const names = async (pattern: string): Promise<string[]> => (await filesMatching(join(dir, pattern))).map((f) => f.slice(dir.length + 1));
      assert.deepEqual(await names('*.gz'), ['.hidden.gz', 'a (1).gz', 'b.gz']);
      assert.deepEqual(await names('**/*.gz'), ['.hidden.gz', 'a (1).gz', 'b.gz', 'sub/c.gz', 'sub/deeper/d.gz']);
      assert.deepEqual(await names('sub/*/*.gz'), ['sub/deeper/d.gz']);
      assert.deepEqual(await names('a (1).*'), ['a (1).gz']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells globs from paths', () => {
    assert.equal(isGlob('logs/tracking.log'), false);
    assert.equal(isGlob('logs/*.gz'), true);
  });
});
