import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../../support/paths.js';

// The image cannot be built here (no registry to pull node:20 from), so this checks what can be:
// the files the Dockerfile copies are in the build context, its build stage compiles from them
// alone, the service loads only runtime dependencies, and its command, run in the runtime
// stage's layout with the environment it sets, serves /readyz and passes its own health check.

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    pending += line.endsWith('\\') ? `${line.slice(0, -1)} ` : line;
    if (line.endsWith('\\')) continue;
    const match = /^\s*(\S+)\s+(.*)$/.exec(pending)!;
    out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim() });
    pending = '';
  }
  return out;
}

/** The instructions of each stage, by stage name (the last one also as "final"). */
function stages(list: readonly Instruction[]): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of list) {
    if (instruction.keyword === 'FROM') {
      current = [instruction];
      const name = /\bAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? 'final';
      byName.set(name, current);
    } else {
      current.push(instruction);
    }
  }
  return byName;
}

/** ENV instructions of a stage (the `KEY=value KEY=value` form). */
function envOf(stage: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const [key, value] = pair.split('=', 2);
      env[key!] = value!;
    }
  }
  return env;
}

function only(stage: readonly Instruction[], keyword: string): string {
  const found = stage.filter((instruction) => instruction.keyword === keyword);
  assert.equal(found.length, 1, `one ${keyword} in the final stage`);
  return found[0]!.args;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const root = repoRoot();
const all = instructions(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const byStage = stages(all);
const final = byStage.get('final')!;

describe('Dockerfile', () => {
  // The build context, the runtime's /app and its data directory, built up by the tests in turn.
  const scratchDir = mkdtempSync(join(tmpdir(), 'image-'));
  const layout = { context: join(scratchDir, 'context'), app: join(scratchDir, 'app'), data: join(scratchDir, 'data') };
  for (const dir of Object.values(layout)) mkdirSync(dir);
  after(() => rmSync(scratchDir, { recursive: true, force: true }));

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const allowed = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const copies = all.filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.startsWith('--from='));
    assert.ok(copies.length >= 5);
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(join(root, source)), `COPY ${source}: not in the repository`);
        assert.ok(allowed.includes(source.replace(/\/$/, '')), `COPY ${source}: excluded by .dockerignore`);
      }
    }
    // What the runtime stage takes from the others is what they make.
    assert.deepEqual(
      final.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from=')).map((i) => i.args),
      ['--from=deps /app/node_modules ./node_modules', '--from=build /app/dist/src ./dist/src'],
    );
    assert.ok(byStage.get('deps')!.some((i) => i.keyword === 'RUN' && i.args.includes('npm ci --omit=dev')));
    assert.ok(byStage.get('build')!.some((i) => i.keyword === 'RUN' && i.args.includes('tsc -p tsconfig.json')));
    assert.match(byStage.get('toolchain')![0]!.args, /^node:20-[a-z]+-slim AS toolchain$/);
    assert.match(final[0]!.args, /^node:20-[a-z]+-slim$/);
  });

  it('runs as a non-root user, with the data directory a volume, listening on every interface', () => {
    const env = envOf(final);
    assert.equal(only(final, 'USER'), 'node');
    assert.equal(only(final, 'VOLUME'), env['EVENT_ROUTER_DATA_DIR']);
    assert.equal(only(final, 'EXPOSE'), env['EVENT_ROUTER_PORT']);
    assert.equal(env['EVENT_ROUTER_HOST'], '0.0.0.0');
    assert.equal(final.filter((i) => i.keyword === 'ENTRYPOINT').length, 0, 'no ENTRYPOINT: Tutor runs its jobs as `sh -e -c` commands');
  });

  it('its build stage compiles from the build context alone, into what the runtime stage needs', () => {
    // The build context as .dockerignore lets it through, then the build stage's COPYs and tsc.
    const build = byStage.get('build')!;
    for (const copy of build.filter((i) => i.keyword === 'COPY')) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) {
        cpSync(join(root, source), join(layout.context, source), {
          recursive: true,
          filter: (path) => !/\.test\.ts$/.test(path),
        });
      }
    }
    symlinkSync(join(root, 'node_modules'), join(layout.context, 'node_modules'));
    // The build stage's compile steps, run as written: the service, then the admin page's script.
    const compile = build.find((i) => i.keyword === 'RUN' && i.args.startsWith('npx tsc'));
    assert.ok(compile, 'the build stage compiles with tsc');
    const projects = compile.args.split('&&').map((step) => /^npx tsc -p (\S+)$/.exec(step.trim())?.[1]);
    assert.deepEqual(projects, ['tsconfig.json', 'tsconfig.browser.json']);
    for (const project of projects) {
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
        cwd: layout.context,
        encoding: 'utf8',
      });
      assert.equal(tsc.status, 0, `tsc -p ${project} in the build context:\n${tsc.stdout}${tsc.stderr}`);
    }
    assert.ok(existsSync(join(layout.context, 'dist', 'src', 'admin', 'ui', 'browser', 'admin-page.js')), 'the admin page script is built');

    // The runtime stage: node_modules, the compiled sources, package.json and bin/ under WORKDIR.
    assert.equal(only(final, 'WORKDIR'), '/app');
    symlinkSync(join(root, 'node_modules'), join(layout.app, 'node_modules'));
    cpSync(join(layout.context, 'dist', 'src'), join(layout.app, 'dist', 'src'), { recursive: true });
    for (const copy of final.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from='))) {
      const [source] = copy.args.split(/\s+/);
      cpSync(join(root, source!), join(layout.app, source!), { recursive: true });
    }

    // Every package the compiled service loads is a runtime dependency (npm ci --omit=dev).
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const loaded = new Set<string>();
    for (const file of readdirSync(join(layout.app, 'dist', 'src'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      const text = readFileSync(join(layout.app, 'dist', 'src', file), 'utf8');
      for (const match of text.matchAll(/(?:\bfrom |(?<![.\w$])import\(|(?<![.\w$])require\()'([^'.][^']*)'/g)) {
        const specifier = match[1]!;
        if (specifier.startsWith('node:')) continue;
        loaded.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    assert.ok(loaded.has('fastify') && loaded.has('better-sqlite3'));
    for (const name of loaded) assert.ok(name in manifest.dependencies, `${name} is loaded by the service but not a dependency`);
  });

  it('its command, in that layout, serves /readyz with the environment it sets, and its health check follows it', async () => {
    const env = envOf(final);
    const command = JSON.parse(only(final, 'CMD')) as string[];
    const healthcheck = only(final, 'HEALTHCHECK');
    const check = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    assert.equal(command[0], 'node');
    assert.equal(check[0], 'node', 'the health check uses node, not curl');
    assert.ok(existsSync(join(layout.app, 'dist', 'src', 'cli', 'main.js')), 'the layout was built by the test before');

    const port = String(await freePort());
    // The image's environment, with a scratch data directory and a free port, plus the ingest
    // token an operator passes (the service is on 0.0.0.0).
    const runEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: layout.data,
      ...env,
      EVENT_ROUTER_DATA_DIR: layout.data,
      EVENT_ROUTER_PORT: port,
      EVENT_ROUTER_INGEST_TOKEN: 'image-test-ingest-token-000000000001',
    };
    const health = (): number | null => spawnSync(process.execPath, check.slice(1), { env: runEnv, encoding: 'utf8', timeout: 30_000 }).status;
    const child = spawn(process.execPath, command.slice(1), { cwd: layout.app, env: runEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      let status = 0;
      while (status !== 200) {
        assert.ok(Date.now() < deadline, `no 200 from /readyz within 60 s (last ${status}):\n${stderr}`);
        // A bounded wait: an answer that never comes fails here with the service's output.
        status = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.match(stderr, new RegExp(`listening on http://0\\.0\\.0\\.0:${port}`));
      assert.match(stderr, new RegExp(`data directory: ${layout.data}`));
      assert.equal(health(), 0);
    } finally {
      child.kill('SIGTERM');
    }
    const stopped = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref())]);
    if (stopped === 'hung') child.kill('SIGKILL');
    assert.equal(stopped, 0, `SIGTERM did not stop the service within 30 s:\n${stderr}`);
    assert.equal(health(), 1, 'the health check fails once the service is down');
  });
});
