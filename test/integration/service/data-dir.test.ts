import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startFakeLrs } from '../../fakes/fake-lrs.js';
import { createTestDatabase, skipOrFail, testServer } from '../postgres/test-database.js';
import { buildEvents } from './events.js';
import { addRouter, baseSettings, cleanEnv, eventually, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Issue #16, items 3 and 12: one service per data directory (a lock taken before anything else is
 * opened, gone with the process), a start on a taken port that opens nothing, and private modes
 * for every file of the data directory.
 */
const dir = scratch('datadir');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

const ENTRY = fileURLToPath(new URL('./service-entry.js', import.meta.url));

/** `serve` that is expected to fail: its exit code and stderr, or SIGKILL after `timeoutMs` (a start that should not have happened). */
function serveExpectingExit(settingsFile: string, timeoutMs = 30_000): Promise<{ code: number | null; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, 'serve', '--config', settingsFile], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, killed });
    });
  });
}

function writeSettings(name: string, settings: Record<string, unknown>): string {
  const file = join(dir.path, `${name}.json`);
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}

describe('one service per data directory', () => {
  it('a second serve on the same data directory exits at once with a clear message; kill -9 leaves no stale lock', { timeout: 120_000 }, async () => {
    const dataDir = join(dir.path, 'shared');
    const first = await startService(dir.path, baseSettings(dataDir), { name: 'first' });
    running.push(first);

    const second = await serveExpectingExit(writeSettings('second', baseSettings(dataDir)));
    assert.equal(second.killed, false, `the second process kept running:\n${second.stderr}`);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /data directory .*shared is in use by another edx-event-router process/);
    assert.doesNotMatch(second.stderr, /listening on/);
    // The first one is untouched.
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200);

    assert.equal((await first.stop('SIGKILL')).signal, 'SIGKILL');
    const restarted = await startService(dir.path, baseSettings(dataDir), { name: 'restarted' });
    running.push(restarted);
    assert.equal((await fetch(`${restarted.url}/readyz`)).status, 200);
    assert.equal((await restarted.stop('SIGTERM')).code, 0, restarted.stderr());
  });

  it('a start on a port that is taken fails before it opens the data directory', { timeout: 60_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const dataDir = join(dir.path, 'port-taken');
      const result = await serveExpectingExit(writeSettings('port-taken', { ...baseSettings(dataDir), EVENT_ROUTER_PORT: port }));
      assert.equal(result.killed, false, result.stderr);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /EADDRINUSE/);
      // Only the directory and its lock: no database, inbox or outbox was opened, so nothing started.
      assert.deepEqual(readdirSync(dataDir), ['service.lock']);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('data directory modes', () => {
  it('every file is 0600 and the directory 0700; a looser directory is tightened with a warning', { timeout: 120_000 }, async () => {
    const dataDir = join(dir.path, 'modes');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    // A file an older version left readable.
    writeFileSync(join(dataDir, 'admin-token'), 'old-token\n', { mode: 0o644 });
    chmodSync(join(dataDir, 'admin-token'), 0o644);
    const lrs = await startFakeLrs();
    try {
      const settings = {
        ...baseSettings(dataDir),
        XAPI_EVENT_LOGGING_ENABLED: true,
        EVENT_ROUTER_XAPI_TRACKING_LOG: join(dataDir, 'xapi-statements.log'),
      };
      const service = await startService(dir.path, settings, { name: 'modes' });
      running.push(service);
      assert.match(service.stdout(), /data directory .*modes: the directory was 0755, now 0700; admin-token were readable by others, now 0600/);
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(service.url, 1);
      await postEvents(
        service.url,
        buildEvents(50).map((e) => JSON.stringify(e)),
      );
      await lrs.waitFor(() => lrs.accepted().length > 0, 60_000, 'deliveries');
      await eventually(
        () => existsSync(join(dataDir, 'xapi-statements.log')),
        30_000,
        () => 'the statement log',
      );

      const modes = Object.fromEntries(readdirSync(dataDir).map((name) => [name, (statSync(join(dataDir, name)).mode & 0o777).toString(8)]));
      for (const name of [
        'inbox.sqlite',
        'inbox.sqlite-wal',
        'inbox.sqlite-shm',
        'outbox.sqlite',
        'outbox.sqlite-wal',
        'outbox.sqlite-shm',
        'xapi-statements.log',
        'service.lock',
      ]) {
        assert.ok(name in modes, `${name} exists (have ${Object.keys(modes).join(', ')})`);
      }
      for (const [name, mode] of Object.entries(modes)) assert.equal(mode, '600', `${name} is ${mode}`);
      assert.equal((statSync(dataDir).mode & 0o777).toString(8), '700');
      assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
    } finally {
      await lrs.close();
    }
  });
});

describe('several instances on PostgreSQL', () => {
  it('two serves on one data directory both start when DATABASE_URL names PostgreSQL', { timeout: 120_000 }, async (t) => {
    const server = await testServer();
    if (!server.ok) return skipOrFail(t, server.reason);
    const db = await (await createTestDatabase(server.adminUrl)).schema();
    const dataDir = join(dir.path, 'pg');
    const settings = { ...baseSettings(dataDir), DATABASE_URL: db.url, EVENT_ROUTER_SECRET_KEY: 'ab'.repeat(32) };
    const a = await startService(dir.path, settings, { name: 'pg-a' });
    running.push(a);
    const b = await startService(dir.path, settings, { name: 'pg-b' });
    running.push(b);
    const lrs = await startFakeLrs();
    try {
      await addRouter(a.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(b.url, 1);
      await postEvents(
        b.url,
        buildEvents(10).map((e) => JSON.stringify(e)),
      );
      await lrs.waitFor(() => lrs.accepted().length > 0, 60_000, 'deliveries through the shared database');
    } finally {
      await lrs.close();
    }
    assert.equal((await a.stop('SIGTERM')).code, 0, a.stderr());
    assert.equal((await b.stop('SIGTERM')).code, 0, b.stderr());
  });
});
