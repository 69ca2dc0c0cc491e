import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeLrs, statementsOf, wasAccepted } from '../../fakes/fake-lrs.js';
import { serviceContext } from '../service/events.js';
import { baseSettings, call, eventually, metric, runCli, scratch, startService, type RunningService } from '../service/support.js';
import { expectedFromLines, trackingLogLines } from './tracking-log-lines.js';

/**
 * `consume --follow`: the follower without HTTP ingest or the admin API (routers added with the
 * CLI on the data directory), a log that does not exist when the service starts, a line that is
 * not an event (counted, not lost silently), and the start-up notes and readiness check.
 */
const dir = scratch('follow-consume');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('consume --follow', () => {
  it('delivers the lines of a log created after the start; counts a line that is no event', { timeout: 5 * 60_000 }, async () => {
    const lrs = await startFakeLrs();
    try {
      const dataDir = join(dir.path, 'data');
      const log = join(dir.path, 'logs', 'tracking.log');
      const lines = trackingLogLines(300);
      const added = await runCli(['routers', 'add', '--data-dir', dataDir, '--backend', 'xapi', '--url', `${lrs.url}xapi/`, '--auth', 'none']);
      assert.equal(added.code, 0, added.stderr);
      const service = await startService(
        dir.path,
        { ...baseSettings(dataDir), CALIPER_EVENTS_ENABLED: false, EVENT_ROUTER_FOLLOW_POLL_INTERVAL: 0.05 },
        { command: 'consume', args: ['--follow', join(dir.path, 'logs', '*.log')], timeoutMs: 120_000 },
      );
      running.push(service);
      assert.match(service.stderr(), /consuming followed tracking logs/);
      assert.match(service.stderr(), /a file never read before starts at its end/);
      assert.equal((await call(service.url, 'GET', '/api/routers')).status, 404, 'no admin API');

      // The folder and the file appear after the start (a glob is matched again every 10 s); a
      // file that appears later is read from its beginning, whatever EVENT_ROUTER_FOLLOW_START says.
      mkdirSync(join(dir.path, 'logs'));
      appendFileSync(log, `${lines.slice(0, 150).join('\n')}\nnot an event at all\n${lines.slice(150).join('\n')}\n`);
      const expected = expectedFromLines(lines, serviceContext());
      const ids = (): Set<string> =>
        new Set(lrs.requests.filter((r) => wasAccepted(r)).flatMap((r) => statementsOf(r.body).map((s) => String((s as { id: unknown }).id))));
      await eventually(
        () => ids().size >= expected.size,
        120_000,
        () => `${expected.size} statements (have ${ids().size}): ${service.stderr()}`,
      );
      assert.deepEqual(ids(), new Set(expected.keys()));
      assert.equal(await metric(service.url, 'edx_event_router_follow_lines_total'), 301);
      // The pipeline thread publishes its counts every 200 ms: the statements may arrive first.
      const unparsable = (): Promise<number> => metric(service.url, 'edx_event_router_events_skipped_total', { reason: 'unparsable_line' });
      await eventually(
        async () => (await unparsable()) >= 1,
        10_000,
        () => 'the unparsable line counted',
      );
      assert.equal(await unparsable(), 1);
      const ready = await call(service.url, 'GET', '/readyz', undefined, { token: null });
      assert.ok(
        (ready.json.checks as Array<{ name: string; ok: boolean }>).some((c) => c.name === 'follow' && c.ok),
        ready.text,
      );
      assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
    } finally {
      await lrs.close();
    }
  });
});
