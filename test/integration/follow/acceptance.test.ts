import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, renameSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startCheckingLrs } from '../scale-out/checking-lrs.js';
import { serviceContext } from '../service/events.js';
import { addRouter, baseSettings, eventually, metric, scratch, startService, waitForRouters, type RunningService } from '../service/support.js';
import { expectedFromLines, trackingLogLines } from './tracking-log-lines.js';

/**
 * Issue 18 acceptance for the follower: `serve --follow` on a tracking.log that the test appends
 * 100,000 lines to (logger prefix, `event` as a JSON string) while the file is rotated twice
 * (rename and create, then copytruncate) and the service is killed with kill -9 twice. The LRS
 * must receive exactly the statements `transform` makes of all the lines: none missing, none
 * unknown, and a statement that came twice came byte-identical (same digest).
 *
 * copytruncate: logrotate copies the file, then truncates it; lines written between the two are
 * in the copy but not read by anyone that follows the live file (logrotate's own race). The test
 * therefore truncates only once the follower has committed the whole file (its position equals
 * the file's size), and no line is written between the copy and the truncation.
 *
 * FOLLOW_LINES sets the number of lines (default 100,000, what the issue asks for).
 */
const LINES = Number(process.env['FOLLOW_LINES'] ?? 100_000);
const dir = scratch('follow');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('serve --follow: rotation and kill -9 while a tracking log grows', () => {
  it(`delivers exactly the statements of ${LINES.toLocaleString('en-US')} lines`, { timeout: 30 * 60_000 }, async (t) => {
    const lines = trackingLogLines(LINES);
    const expected = expectedFromLines(lines, serviceContext());
    const lrs = await startCheckingLrs();
    const dataDir = join(dir.path, 'data');
    const log = join(dir.path, 'tracking.log');
    const settings = {
      ...baseSettings(dataDir),
      CALIPER_EVENTS_ENABLED: false,
      EVENT_ROUTER_FOLLOW: [log],
      EVENT_ROUTER_FOLLOW_START: 'beginning',
      EVENT_ROUTER_FOLLOW_POLL_INTERVAL: 0.05,
    };
    const start = async (): Promise<RunningService> => {
      const service = await startService(dir.path, settings, { timeoutMs: 120_000 });
      running.push(service);
      return service;
    };
    /** The follower's committed position, read from the inbox file as a restart would. */
    const committed = (): { ino: string; offset: number } | undefined => {
      const db = new Database(join(dataDir, 'inbox.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare<[], { ino: string; offset: number }>('SELECT ino, byte_offset AS offset FROM follow_positions').get();
      } finally {
        db.close();
      }
    };
    const caughtUp = (): boolean => {
      const at = committed();
      const file = statSync(log, { bigint: true });
      return at !== undefined && at.ino === String(file.ino) && at.offset === Number(file.size);
    };
    let written = 0;
    /** Appends lines [written, upTo) in blocks, as a busy LMS does. */
    const write = async (upTo: number): Promise<void> => {
      while (written < upTo) {
        const next = Math.min(upTo, written + 500);
        appendFileSync(log, `${lines.slice(written, next).join('\n')}\n`);
        written = next;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    const quarter = Math.floor(LINES / 4);

    try {
      // The router first: an event routed while there is none would not be delivered.
      appendFileSync(log, '');
      let service = await start();
      await addRouter(service.url, { backend: 'xapi', routeUrl: lrs.url });
      await waitForRouters(service.url, 1, 60_000);

      await write(quarter);
      // 1. logrotate `create`: rename, then a new file at the path (the LMS reopens it).
      renameSync(log, `${log}.1`);
      appendFileSync(log, '');
      await write(quarter + Math.floor(quarter / 2));
      // 2. kill -9 while the follower and the pipeline are busy; the LMS keeps writing.
      await service.stop('SIGKILL');
      await write(2 * quarter);
      service = await start();

      // 3. logrotate `copytruncate`, once everything written so far is committed.
      await eventually(caughtUp, 600_000, () => `the follower at the end of the file (committed ${JSON.stringify(committed())}, size ${statSync(log).size})`);
      copyFileSync(log, `${log}.2`);
      truncateSync(log, 0);
      await write(3 * quarter - Math.floor(quarter / 2));
      // 4. kill -9 again.
      await service.stop('SIGKILL');
      await write(3 * quarter);
      service = await start();
      await write(LINES);

      await eventually(
        () => lrs.distinct() >= expected.size,
        20 * 60_000,
        () => `${expected.size} statements (have ${lrs.distinct()}; stderr: ${service.stderr().slice(-2000)})`,
      );
      // The lag returns to 0 (the gauge of the running instance) and the position is at the end.
      const url = service.url;
      await eventually(
        async () => caughtUp() && (await metric(url, 'edx_event_router_follow_lag_bytes', { path: log })) === 0,
        60_000,
        () => 'lag 0',
      );

      const received = lrs.digests();
      let repeats = 0;
      for (const [id, entry] of received) {
        const digest = expected.get(id);
        assert.ok(digest !== undefined, `statement ${id} is not one transform makes of the lines`);
        assert.equal(entry.digest, digest, `statement ${id} differs from transform's`);
        assert.equal(entry.differing, 0, `a repeat of ${id} differs`);
        repeats += entry.count - 1;
      }
      assert.equal(received.size, expected.size, 'every statement arrived');
      t.diagnostic(`${LINES} lines, ${expected.size} statements, ${repeats} delivered twice`);
      const stopped = await service.stop('SIGTERM');
      assert.equal(stopped.code, 0, service.stderr());
    } finally {
      await lrs.close();
    }
  });
});
