import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { createGzip } from 'node:zlib';
import { parseEventLine } from '../src/sources/tracking-log/line-parser.js';
import { createTransformContext, type TransformContext } from '../src/transforms/shared/transform-settings.js';
import { transformEvent } from '../src/transforms/transform-event.js';
import { buildEventLines, sampleLookups } from './sample-events.js';

export interface ReplayBenchResult {
  lines: number;
  gzipBytes: number;
  seconds: number;
  replayPerSecond: number;
  /** The same lines parsed + transformed + stringified in one thread of this process. */
  transformPerSecond: number;
  peakRssBytes: number;
  statementsReceived: number;
}

const PREFIX = '2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - ';
const BLOCK = 100_000;
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * `npm run bench replay`: `lines` tracking.log lines (fixture events with a logger prefix, gzip)
 * replayed by the real CLI in a child process to a fake LRS in another child process, as an
 * operator would run it. Peak RSS is the replay process's own (worker threads included).
 */
export async function measureReplay(lines = 1_000_000): Promise<ReplayBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'replay-bench-'));
  try {
    const file = join(dir, 'tracking.log.gz');
    const block = buildEventLines(Math.min(lines, BLOCK));
    await writeLog(file, block, lines);
    // Median of three rounds: one round is at the mercy of whatever else the machine is doing.
    const rounds = [0, 1, 2].map(() => transformOnlyRate(block.slice(0, 20_000))).sort((a, b) => a - b);
    const transformPerSecond = rounds[1] as number;
    const lrs = await startFakeLrs();
    try {
      const started = performance.now();
      const run = await runCli(dir, [
        'replay',
        file,
        '--lrs-url',
        lrs.url,
        '--lookups',
        here('../../samples/lookups.json'),
        '--no-checkpoint',
        '--no-progress',
        '--batch-size',
        '1000',
        '--lms-url',
        'http://localhost:18000',
      ]);
      const seconds = (performance.now() - started) / 1000;
      if (run.code !== 0) throw new Error(`replay exited ${run.code}: ${run.stderr.slice(-2000)}`);
      return {
        lines,
        gzipBytes: statSync(file).size,
        seconds,
        replayPerSecond: lines / seconds,
        transformPerSecond,
        peakRssBytes: run.maxRssKb * 1024,
        statementsReceived: await lrs.received(),
      };
    } finally {
      lrs.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Blocks of distinct events: block k moves every timestamp k years on, so ids differ across blocks.
 * Gzip unless `plain` (the `follow` benchmark's live file).
 */
export async function writeLog(path: string, block: readonly string[], lines: number, plain = false): Promise<void> {
  const gzip = plain ? new PassThrough() : createGzip({ level: 6 });
  const out = gzip.pipe(createWriteStream(path));
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  for (let i = 0; i < lines; i++) {
    const k = Math.floor(i / block.length);
    let line = block[i % block.length] as string;
    if (k > 0) line = line.replace(/"(timestamp|time)":"(\d{4})/g, (_m, key: string, year: string) => `"${key}":"${Number(year) + k}`);
    if (!gzip.write(`${PREFIX}${line}\n`)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
}

function transformOnlyRate(lines: readonly string[]): number {
  const ctx: TransformContext = createTransformContext({
    lmsUrl: 'http://localhost:18000',
    transformerVersion: 'edx-event-router@bench',
    ifiType: 'external_id',
    compat: 'valid',
    lookups: sampleLookups(),
  });
  const prefixed = lines.map((line) => PREFIX + line);
  let sink = 0;
  const started = performance.now();
  for (const line of prefixed) {
    const parsed = parseEventLine(line);
    if (parsed.kind !== 'event') continue;
    const outcome = transformEvent('xapi', parsed.event, ctx);
    if (outcome.ok) for (const record of outcome.statements) sink += JSON.stringify(record).length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (sink < 0) console.log(sink);
  return prefixed.length / seconds;
}

/** The CLI in a child process; it reports its peak RSS on stderr as it exits. */
export function runCli(dir: string, args: string[]): Promise<{ code: number | null; stderr: string; maxRssKb: number }> {
  const main = new URL('../src/cli/main.js', import.meta.url).href;
  const entry = join(dir, 'replay-entry.mjs');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(main)};
const code = await main(process.argv.slice(2));
process.stderr.write('\\nBENCH_MAX_RSS_KB ' + process.resourceUsage().maxRSS + '\\n');
process.exitCode = code;`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /BENCH_MAX_RSS_KB (\d+)/.exec(stderr);
      resolve({ code, stderr, maxRssKb: match ? Number(match[1]) : NaN });
    });
  });
}

/** A minimal LRS in its own process (so it does not compete with the replay's event loop): parses each batch, answers 200. */
export function startFakeLrs(): Promise<{ url: string; received: () => Promise<number>; stop: () => void }> {
  const script = `
import { createServer } from 'node:http';
let statements = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET') { res.end(String(statements)); return; }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    statements += body.length;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body.map((s) => s.id)));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.once('data', (chunk: Buffer) => {
      const url = `http://127.0.0.1:${chunk.toString('utf8').trim()}/`;
      resolve({
        url,
        received: async () => Number(await (await fetch(`${url}count`)).text()),
        stop: () => child.stdin.end(),
      });
    });
  });
}
