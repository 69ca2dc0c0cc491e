import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths.js';

// What an operator installs: the published package holds the compiled service and nothing the
// tests or benchmarks need, and `dependencies` hold only what the service runs.
const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Paths never shipped: tests, benchmarks, fixtures, build state. */
const NOT_SHIPPED = /(^|\/)(test|bench|fixtures)\/|\.test\.|tsbuildinfo/;

function packedFiles(): string[] {
  // --ignore-scripts: list what is on disk without compiling again (npm install already did).
  const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(npm.status, 0, npm.stderr);
  const [report] = JSON.parse(npm.stdout) as Array<{ files: Array<{ path: string }> }>;
  assert.ok(report);
  return report.files.map((f) => f.path);
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('the published package', () => {
  it('npm pack lists the CLI, the compiled service and the samples, and no test, benchmark or fixture', () => {
    const files = packedFiles();
    const shipped = files.filter((f) => NOT_SHIPPED.test(f));
    assert.deepEqual(shipped, [], 'files the operator does not need');
    const outside = files.filter((f) => !/^(bin|dist\/src|dist\/types|samples)\//.test(f) && !/^(package\.json|README\.md|LICENSE[^/]*)$/.test(f));
    assert.deepEqual(outside, []);
    for (const needed of ['package.json', 'bin/edx-event-router.js', 'samples/events.ndjson']) assert.ok(files.includes(needed), needed);
    // npm install and npm ci compile dist/ (the prepare script); a tree never installed has none.
    if (existsSync(join(root, 'dist', 'src'))) {
      assert.ok(files.includes('dist/src/cli/main.js'), 'the compiled CLI');
      assert.ok(files.includes('dist/src/admin/ui/browser/admin-page.js'), "the admin page's script (tsconfig.browser.json)");
    }
    // The plugin API's types (package.json `exports["./plugin"]`), for plugins written in TypeScript.
    if (existsSync(join(root, 'dist', 'types'))) assert.ok(files.includes('dist/types/src/transforms/plugins/api.d.ts'), 'the plugin API types');
  });

  it('the production build (tsconfig.json) compiles the sources only, without their tests', () => {
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFilesOnly'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const own = run.stdout
      .split('\n')
      .filter((line) => line !== '' && !line.includes(`${sep}node_modules${sep}`) && !line.includes('/node_modules/'))
      .map((line) => relative(root, line).split(sep).join('/'));
    assert.ok(own.includes('src/cli/main.ts'));
    assert.deepEqual(
      own.filter((f) => !f.startsWith('src/') || f.endsWith('.test.ts')),
      [],
      'tests and benchmarks compile into dist-test/ (tsconfig.test.json)',
    );
  });

  it('dependencies are what the service imports; the compiler is a development dependency', () => {
    const sources = sourceFiles(join(root, 'src')).map((f) => readFileSync(f, 'utf8'));
    const imported = (name: string): boolean =>
      sources.some((text) => text.includes(`from '${name}'`) || text.includes(`from '${name}/`) || text.includes(`('${name}'`) || text.includes(`('${name}/`));
    assert.deepEqual(
      Object.keys(pkg.dependencies).filter((name) => !imported(name)),
      [],
      'dependencies no source file imports',
    );
    assert.equal(pkg.dependencies['typescript'], undefined);
    assert.ok(pkg.devDependencies['typescript']);
  });
});

describe('fastify on Node 20', () => {
  it('light-my-request runs with the cookie version package.json overrides (cookie 2 needs Node 22)', async () => {
    const { default: fastify } = await import('fastify');
    const app = fastify();
    app.get('/echo', async (request, reply) => {
      void reply.header('set-cookie', 'seen=1; Path=/');
      return { cookie: request.headers.cookie ?? null };
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/echo', cookies: { session: 'a b' } });
      assert.deepEqual(response.json(), { cookie: 'session=a%20b' });
      assert.deepEqual(
        response.cookies.map((c) => [c.name, c.value]),
        [['seen', '1']],
      );
    } finally {
      await app.close();
    }
  });
});
