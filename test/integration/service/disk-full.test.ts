import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { idOf, lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, call, eventually, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Issue #16, item 4: the data directory on a 20 MB tmpfs fills while the LRS is down. Ingest
 * must refuse with 507 and Retry-After, /readyz must say why it is not ready, nothing accepted
 * may be lost, and once space comes back (a file next to the data is removed) the service must
 * resume by itself, repeating at most one batch per router.
 */
const dir = scratch('disk-full');
const mountPoint = join(dir.path, 'small');
let mounted = false;
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  if (mounted) execFileSync('umount', [mountPoint]);
  dir.remove();
});

/** Mounts a 20 MB tmpfs, or says why it cannot (not root, no mount in this container). */
function mountSmallDisk(): string | undefined {
  mkdirSync(mountPoint, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (needs root and CAP_SYS_ADMIN): ${((error as { stderr?: Buffer }).stderr?.toString() ?? (error as Error).message).trim()}`;
  }
}

/** The files under `dir` with their sizes: where the space went, when the disk stays full. */
function filesIn(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => [name, statSync(join(dir, name))] as const)
    .filter(([, info]) => info.isFile())
    .map(([name, info]) => `${name} ${(info.size / 1024).toFixed(0)} KiB`)
    .join(', ');
}

function skip(t: TestContext, reason: string): void {
  // Mounting needs privileges CI runners may not give; it is a skip with a reason, not a failure.
  process.stdout.write(`# skipped: ${reason}\n`);
  t.skip(reason);
}

describe('a full disk', () => {
  it('refuses ingest with 507, is not ready, loses nothing and resumes by itself', { timeout: 600_000 }, async (t) => {
    const reason = mountSmallDisk();
    if (reason !== undefined) return skip(t, reason);
    let down = true;
    const lrs = await startFakeLrs((request, index) => (down ? { status: 503, body: 'down for maintenance' } : lrsAccepts(request, index)));
    try {
      // Space the operator can give back later.
      const filler = join(mountPoint, 'filler.bin');
      writeFileSync(filler, Buffer.alloc(6 * 1024 * 1024, 1));
      const dataDir = join(mountPoint, 'data');
      const service = await startService(dir.path, {
        ...baseSettings(dataDir),
        EVENT_ROUTING_BACKEND_COUNTDOWN: 0.2,
        EVENT_ROUTER_DISK_MIN_FREE_BYTES: 1024 * 1024,
      });
      running.push(service);
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(service.url, 1);

      const ctx = serviceContext();
      const expected = new Set<string>();
      let accepted = 0;
      let refusal: { status: number; retryAfter: string | null; text: string } | undefined;
      for (let offset = 0; refusal === undefined && offset < 200_000; offset += 500) {
        const events = buildEvents(500, offset);
        const answer = await call(service.url, 'POST', '/events', events.map((e) => JSON.stringify(e)).join('\n'), {
          token: null,
          contentType: 'application/x-ndjson',
        });
        if (answer.status === 202) {
          accepted += events.length;
          for (const e of events) for (const s of transformed('xapi', e, ctx)) expected.add(idOf(s));
        } else {
          refusal = { status: answer.status, retryAfter: answer.headers.get('retry-after'), text: answer.text };
        }
      }
      process.stdout.write(`# accepted ${accepted} events (${expected.size} statements) before: ${JSON.stringify(refusal)}\n`);
      assert.ok(refusal, 'the disk filled');
      assert.equal(refusal.status, 507, refusal.text);
      assert.ok(refusal.retryAfter !== null, 'Retry-After');
      const ready = await call(service.url, 'GET', '/readyz', undefined, { token: null });
      process.stdout.write(`# readyz ${ready.status} ${ready.text}\n`);
      assert.equal(ready.status, 503);
      const check = (ready.json.checks as Array<{ name: string; ok: boolean; detail?: string }>).find((c) => c.name === 'disk');
      assert.equal(check?.ok, false, ready.text);
      assert.match(check?.detail ?? '', /free in .*data|lack of space/);

      // The LRS comes back, then the operator frees space.
      down = false;
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const freedAt = Date.now();
      rmSync(filler);
      await eventually(
        () => [...expected].every((id) => lrs.acceptedIds().includes(id)),
        300_000,
        () => `all ${expected.size} statements (have ${new Set(lrs.acceptedIds()).size})`,
      );
      const recoveredMs = Date.now() - freedAt;
      const ids = lrs.acceptedIds();
      const repeats = ids.length - new Set(ids).size;
      process.stdout.write(`# delivered ${new Set(ids).size} statements, ${repeats} repeats, all within ${recoveredMs} ms of the space coming back\n`);
      assert.ok(repeats <= 100, `at most one batch repeated (${repeats})`);
      let lastReady = '';
      await eventually(
        async () => {
          const answer = await call(service.url, 'GET', '/readyz', undefined, { token: null });
          lastReady = `${answer.status} ${answer.text}`;
          return answer.status === 200;
        },
        60_000,
        () => `ready again (last /readyz: ${lastReady}; ${filesIn(mountPoint)})`,
      );
      const again = await call(service.url, 'POST', '/events', JSON.stringify(buildEvents(1, 900_000)[0]), { token: null });
      assert.equal(again.status, 202, again.text);
      assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
    } finally {
      await lrs.close();
    }
  });
});
