import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEventLines } from './sample-events.js';

/** The real CLI, compiled next to this file (bench/ and test/ share the output folder). */
const ENTRY = fileURLToPath(new URL('../test/integration/service/service-entry.js', import.meta.url));
const LOOKUPS = fileURLToPath(new URL('../../samples/lookups.json', import.meta.url));

export interface EndToEndOptions {
  /** Events sent. Default 100,000. */
  events?: number;
  /** Events per POST /events (NDJSON). Default 1000. */
  eventsPerRequest?: number;
  /** POSTs in flight at once. Default 4. */
  concurrency?: number;
  /** EVENT_ROUTING_BACKEND_BATCH_SIZE. Default 100 (ERB's). */
  batchSize?: number;
  /** EVENT_ROUTER_SQLITE_SYNCHRONOUS. Default full (the service default). */
  synchronous?: 'full' | 'normal';
  /** EVENT_ROUTER_PIPELINE_THREAD. Default true (the service default). */
  pipelineThread?: boolean;
  /** EVENT_ROUTER_PIPELINE_BATCH_SIZE. Default 500 (the service default). */
  pipelineBatchSize?: number;
}

export interface EndToEndResult {
  events: number;
  statements: number;
  /** Events per second from the first POST to the last statement acknowledged by the LRS. */
  endToEndPerSecond: number;
  /** Events per second from the first POST to the last 202. */
  ingestPerSecond: number;
  /** Peak resident memory of the service process (VmHWM), bytes. */
  peakRssBytes: number;
  /** Resident memory of the service sampled during the first and the second half of the run, max of each, bytes. */
  rssFirstHalfBytes: number;
  rssSecondHalfBytes: number;
  /** POSTs answered 503 (backpressure) and sent again. */
  retried503: number;
  /** CPU time (user + system, all threads) the service process spent per event, microseconds. */
  serviceCpuPerEventUs: number;
  /** CPU time of this process (the client and the LRS) per event, microseconds. */
  benchCpuPerEventUs: number;
  settings: Required<EndToEndOptions>;
}

const UUID_THEN_QUOTE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$/;

/**
 * A local LRS that accepts everything and counts which of the expected statement ids it has
 * received. It finds them with a byte search for the `{"id":"` each statement starts with, not a
 * JSON parse of each body, so that its CPU, on the same two cores as the service, stays small;
 * counting only expected ids, a nested object that also starts with an id cannot end the run early.
 */
function countingLrs(expected: ReadonlySet<string>): Promise<{ server: Server; url: string; count: () => number; lastAt: () => number }> {
  const ids = new Set<string>();
  let last = 0;
  const marker = Buffer.from('{"id":"');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + 1)) {
        const id = body.toString('latin1', at + marker.length, at + marker.length + 37);
        if (UUID_THEN_QUOTE.test(id) && expected.has(id.slice(0, 36))) ids.add(id.slice(0, 36));
      }
      last = Date.now();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/`, count: () => ids.size, lastAt: () => last });
    });
  });
}

export function startService(dir: string, settings: Record<string, unknown>): Promise<{ child: ChildProcess; url: string }> {
  const config = join(dir, 'settings.json');
  writeFileSync(config, JSON.stringify(settings));
  // BENCH_SERVICE_NODE_FLAGS profiles the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const flags = (process.env['BENCH_SERVICE_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
  const child = spawn(process.execPath, [...flags, ENTRY, 'serve', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s)]+)/.exec(stderr);
      if (match?.[1] !== undefined) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}):\n${stderr}`)));
  });
}

/** utime + stime of a process, microseconds (Linux /proc; 0 elsewhere). */
function cpuTimeUs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / 100) * 1e6;
  } catch {
    return 0;
  }
}

export function memory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

async function expectedStatements(lines: readonly string[]): Promise<Set<string>> {
  // The same transform the service runs, to know when the LRS has everything.
  const { measureStatements } = await import('./end-to-end-expected.js');
  return measureStatements(lines, LOOKUPS);
}

/**
 * The POST bodies, encoded before the clock starts (the client's work per request is then only
 * HTTP), and the ids of the statements the service will make of them. The event lines themselves
 * are not kept: the less this process holds, the less its garbage collector takes from the cores.
 */
async function requestBodies(settings: Required<EndToEndOptions>): Promise<{ bodies: Buffer[]; expectedIds: Set<string> }> {
  const lines = buildEventLines(settings.events);
  const expectedIds = await expectedStatements(lines);
  const bodies: Buffer[] = [];
  for (let i = 0; i < lines.length; i += settings.eventsPerRequest) {
    bodies.push(Buffer.from(lines.slice(i, i + settings.eventsPerRequest).join('\n'), 'utf8'));
  }
  return { bodies, expectedIds };
}

/**
 * HTTP ingest → inbox → pipeline (identity, transform, match) → SQLite outbox → batched delivery
 * to a local LRS, with the real `serve` in a child process. The bench process only posts and
 * counts, so the service has the machine's cores to itself as far as possible.
 */
export async function measureEndToEnd(options: EndToEndOptions = {}): Promise<EndToEndResult> {
  const settings: Required<EndToEndOptions> = {
    events: options.events ?? 100_000,
    eventsPerRequest: options.eventsPerRequest ?? 1000,
    concurrency: options.concurrency ?? 4,
    batchSize: options.batchSize ?? 100,
    synchronous: options.synchronous ?? 'full',
    pipelineThread: options.pipelineThread ?? true,
    pipelineBatchSize: options.pipelineBatchSize ?? 500,
  };
  const { bodies, expectedIds } = await requestBodies(settings);
  const statements = expectedIds.size;

  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const lrs = await countingLrs(expectedIds);
  const token = 'bench-admin-token-0000000001';
  const { child, url } = await startService(dir, {
    EVENT_ROUTER_DATA_DIR: join(dir, 'data'),
    EVENT_ROUTER_PORT: 0,
    EVENT_ROUTER_ADMIN_TOKEN: token,
    EVENT_ROUTER_LOG_LEVEL: 'warn',
    LMS_ROOT_URL: 'http://localhost:18000',
    EVENT_ROUTER_LOOKUPS_FILE: LOOKUPS,
    EVENT_ROUTER_IDENTITY_SOURCES: ['lookups-file'],
    EVENT_ROUTER_MISSING_ID_POLICY: 'drop',
    XAPI_EVENT_LOGGING_ENABLED: false,
    EVENT_ROUTING_BACKEND_BATCHING_ENABLED: true,
    EVENT_ROUTING_BACKEND_BATCH_SIZE: settings.batchSize,
    EVENT_ROUTING_BACKEND_BATCH_INTERVAL: 0.2,
    EVENT_ROUTER_SQLITE_SYNCHRONOUS: settings.synchronous,
    EVENT_ROUTER_PIPELINE_THREAD: settings.pipelineThread,
    EVENT_ROUTER_PIPELINE_BATCH_SIZE: settings.pipelineBatchSize,
  });
  const pid = child.pid ?? 0;
  try {
    const created = await fetch(`${url}/api/routers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ backend: 'xapi', routeUrl: `${lrs.url}xapi/` }),
    });
    if (created.status !== 201) throw new Error(`cannot add the router: ${created.status}`);
    for (let i = 0; i < 200; i++) {
      const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks: Array<{ name: string; detail?: string }> };
      if (ready.checks.some((c) => c.name === 'routers' && c.detail?.endsWith('1 active'))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const samples: Array<{ at: number; rss: number }> = [];
    const sampler = setInterval(() => samples.push({ at: Date.now(), rss: memory(pid).rss }), 250);
    let retried503 = 0;
    const cpuBefore = cpuTimeUs(pid);
    const benchBefore = process.cpuUsage();
    const started = Date.now();
    let next = 0;
    const post = async (): Promise<void> => {
      while (next < bodies.length) {
        const body = bodies[next++] as Buffer;
        for (;;) {
          const answer = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
          await answer.arrayBuffer();
          if (answer.status === 202) break;
          if (answer.status !== 503) throw new Error(`POST /events answered ${answer.status}`);
          retried503 += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, post));
    const ingested = Date.now();
    while (lrs.count() < statements) {
      if (Date.now() - ingested > 600_000) throw new Error(`the LRS got ${lrs.count()} of ${statements} statements`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const finished = lrs.lastAt();
    const serviceCpu = cpuTimeUs(pid) - cpuBefore;
    const benchCpu = process.cpuUsage(benchBefore);
    clearInterval(sampler);
    const middle = started + (finished - started) / 2;
    const maxOf = (list: Array<{ rss: number }>): number => list.reduce((max, s) => Math.max(max, s.rss), 0);
    return {
      events: settings.events,
      statements,
      endToEndPerSecond: settings.events / ((finished - started) / 1000),
      ingestPerSecond: settings.events / ((ingested - started) / 1000),
      peakRssBytes: memory(pid).hwm,
      rssFirstHalfBytes: maxOf(samples.filter((s) => s.at < middle)),
      rssSecondHalfBytes: maxOf(samples.filter((s) => s.at >= middle)),
      retried503,
      serviceCpuPerEventUs: serviceCpu / settings.events,
      benchCpuPerEventUs: (benchCpu.user + benchCpu.system) / settings.events,
      settings,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    lrs.server.closeAllConnections();
    lrs.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
