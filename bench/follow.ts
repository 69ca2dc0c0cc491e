import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startFakeLrs, writeLog } from './replay.js';
import { buildEventLines } from './sample-events.js';

export interface FollowBenchResult {
  lines: number;
  statements: number;
  replaySeconds: number;
  followSeconds: number;
  replayPerSecond: number;
  followPerSecond: number;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * `npm run bench -- follow`: the same tracking.log (`lines` lines with the logger prefix, plain
 * text) sent to a fake LRS twice, each in a child process as an operator runs it: `replay FILE`
 * (the baseline), then `consume --follow FILE` (from the file's beginning, through the inbox,
 * the pipeline and the outbox) until the LRS has as many statements as replay sent. The
 * follower's time includes its start, as replay's does.
 */
export async function measureFollow(lines = 200_000): Promise<FollowBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'follow-bench-'));
  try {
    const file = join(dir, 'tracking.log');
    await writeLog(file, buildEventLines(Math.min(lines, 100_000)), lines, true);
    const lookups = here('../../samples/lookups.json');

    const replayLrs = await startFakeLrs();
    let statements: number;
    let replaySeconds: number;
    try {
      const started = performance.now();
      const run = await runCli(dir, [
        'replay',
        file,
        '--lrs-url',
        replayLrs.url,
        '--lookups',
        lookups,
        '--no-checkpoint',
        '--no-progress',
        '--batch-size',
        '1000',
        '--lms-url',
        'http://localhost:18000',
      ]);
      replaySeconds = (performance.now() - started) / 1000;
      if (run.code !== 0) throw new Error(`replay exited ${run.code}: ${run.stderr.slice(-2000)}`);
      statements = await replayLrs.received();
    } finally {
      replayLrs.stop();
    }

    const lrs = await startFakeLrs();
    try {
      const dataDir = join(dir, 'data');
      const config = join(dir, 'settings.json');
      writeFileSync(
        config,
        JSON.stringify({
          EVENT_ROUTER_DATA_DIR: dataDir,
          EVENT_ROUTER_PORT: 0,
          EVENT_ROUTER_LOG_LEVEL: 'warn',
          LMS_ROOT_URL: 'http://localhost:18000',
          EVENT_ROUTER_LOOKUPS_FILE: lookups,
          EVENT_ROUTER_IDENTITY_SOURCES: ['lookups-file'],
          EVENT_ROUTER_MISSING_ID_POLICY: 'drop',
          EVENT_ROUTING_BACKEND_BATCHING_ENABLED: true,
          EVENT_ROUTING_BACKEND_BATCH_SIZE: 1000,
          EVENT_ROUTING_BACKEND_BATCH_INTERVAL: 0.1,
          EVENT_ROUTER_FOLLOW: [file],
          EVENT_ROUTER_FOLLOW_START: 'beginning',
        }),
      );
      const added = await runCli(dir, ['routers', 'add', '--config', config, '--backend', 'xapi', '--url', lrs.url, '--auth', 'none']);
      if (added.code !== 0) throw new Error(`routers add exited ${added.code}: ${added.stderr}`);
      const started = performance.now();
      const service = spawn(process.execPath, [here('../../bin/edx-event-router.js'), 'consume', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      service.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
      const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
      try {
        for (;;) {
          if (service.exitCode !== null) throw new Error(`consume exited ${service.exitCode}: ${stderr}`);
          if ((await lrs.received()) >= statements) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        service.kill('SIGTERM');
        await exited;
      }
      const followSeconds = (performance.now() - started) / 1000;
      return {
        lines,
        statements,
        replaySeconds,
        followSeconds,
        replayPerSecond: lines / replaySeconds,
        followPerSecond: lines / followSeconds,
      };
    } finally {
      lrs.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
