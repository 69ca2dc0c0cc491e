import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPluginPath, loadPluginModules, PluginLoadError } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'plugin-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadPluginModules', () => {
  it('loads a default export by absolute path, and an export named `plugin` by a path relative to the working directory', async () => {
    file('a.mjs', "export default { name: 'a', xapi: { 'site.a': () => ({}) } };\n");
    file('b.mjs', "export const plugin = { name: 'b', caliper: { 'site.b': () => ({}) }, replaces: ['site.b'] };\n");
    const loaded = await loadPluginModules([join(dir, 'a.mjs'), './b.mjs'], dir);
    assert.deepEqual(
      loaded.map((l) => [l.plugin.name, l.source]),
      [
        ['a', join(dir, 'a.mjs')],
        ['b', './b.mjs'],
      ],
    );
  });

  it('names the plugin that cannot be loaded or exports no plugin', async () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.mjs'), /cannot load plugin ".*missing\.mjs"/],
      [file('syntax.mjs', 'export default {'), /cannot load plugin ".*syntax\.mjs"/],
      [file('none.mjs', 'export const x = 1;\n'), /exports no plugin/],
      [file('noname.mjs', 'export default { xapi: {} };\n'), /has no `name`/],
      [file('notfn.mjs', "export default { name: 'n', xapi: { 'site.x': 'text' } };\n"), /`xapi\["site\.x"\]` is not a function/],
      [file('empty.mjs', "export default { name: 'n' };\n"), /neither `xapi` nor `caliper`/],
      [file('replaces.mjs', "export default { name: 'n', xapi: {}, replaces: 'site.x' };\n"), /`replaces` is not a list/],
      ['no-such-package-for-edx-event-router', /cannot load plugin "no-such-package-for-edx-event-router"/],
    ];
    for (const [spec, expected] of cases) {
      await assert.rejects(loadPluginModules([spec], dir), (error: Error) => error instanceof PluginLoadError && expected.test(error.message), spec);
    }
  });

  it('tells file paths from package names', () => {
    assert.deepEqual(['./x.js', '/x', 'x.mjs', 'some-package', '@scope/pkg'].map(isPluginPath), [true, true, true, false, false]);
  });
});
