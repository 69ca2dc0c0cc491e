import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../test/integration/delivery/scenario.js';
import { metric } from '../test/integration/service/support.js';
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
  /** Share of LRS requests answered 503, at random (seeded). Default 0. */
  failRatio?: number;
  /** The LRS refuses connections from the first POST until this long after the last 202, ms. Default 0. */
  outageMs?: number;
  /** Run `serve` on its delivery defaults (batching, retries), ignoring `batchSize`. Default false. */
  deliveryDefaults?: boolean;
  /** Spread the POSTs evenly at this many events per second (a steady stream); 0: as fast as accepted. Default 0. */
  pacedPerSecond?: number;
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
  /** LRS requests answered 503 by `failRatio`. */
  refused503: number;
  /** With an outage: from the LRS accepting again to the last statement, ms. */
  recoveryMs: number;
  /** With an outage: delivery requests the service made while the LRS was down, per second. */
  requestsPerSecondWhileDown: number;
  /** Share of statements acknowledged within 10 s of entering the outbox (delivery latency histogram). */
  deliveredWithin10s: number;
  /** Statements dead-lettered (events_dropped_total{stage="delivery"}). */
  deadLettered: number;
}

const UUID_THEN_QUOTE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$/;

/**
 * A local LRS that accepts everything and counts which of the expected statement ids it has
 * received. It finds them with a byte search for the `{"id":"` each statement starts with, not a
 * JSON parse of each body, so that its CPU, on the same two cores as the service, stays small;
 * counting only expected ids, a nested object that also starts with an id cannot end the run early.
 */
interface CountingLrs {
  server: Server;
  url: string;
  count: () => number;
  lastAt: () => number;
  refused: () => number;
  /** Stops listening (connections are refused) and drops open ones; `up` listens on the same port again. */
  down: () => Promise<void>;
  up: () => Promise<void>;
}

function countingLrs(expected: ReadonlySet<string>, failRatio = 0): Promise<CountingLrs> {
  const ids = new Set<string>();
  let last = 0;
  let refused = 0;
  // Seeded, so that runs of one sitting fail the same requests.
  const random = seededRandom(42);
  const marker = Buffer.from('{"id":"');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failRatio > 0 && random() < failRatio) {
        refused += 1;
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('busy');
        return;
      }
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
  const listen = (port: number): Promise<number> =>
    new Promise((resolve) => {
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  return listen(0).then((port) => ({
    server,
    url: `http://127.0.0.1:${port}/`,
    count: () => ids.size,
    lastAt: () => last,
    refused: () => refused,
    down: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    up: () => listen(port).then(() => undefined),
  }));
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
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
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
    failRatio: options.failRatio ?? 0,
    outageMs: options.outageMs ?? 0,
    deliveryDefaults: options.deliveryDefaults ?? false,
    pacedPerSecond: options.pacedPerSecond ?? 0,
  };
  const { bodies, expectedIds } = await requestBodies(settings);
  const statements = expectedIds.size;

  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const lrs = await countingLrs(expectedIds, settings.failRatio);
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
    ...(settings.deliveryDefaults
      ? {}
      : {
          EVENT_ROUTING_BACKEND_BATCHING_ENABLED: true,
          EVENT_ROUTING_BACKEND_BATCH_SIZE: settings.batchSize,
          EVENT_ROUTING_BACKEND_BATCH_INTERVAL: 0.2,
        }),
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
    if (settings.outageMs > 0) await lrs.down();
    const requestsBefore = await metric(url, 'edx_event_router_delivery_requests_total');
    const started = Date.now();
    let next = 0;
    const post = async (): Promise<void> => {
      while (next < bodies.length) {
        const index = next++;
        const body = bodies[index] as Buffer;
        if (settings.pacedPerSecond > 0) {
          const due = started + (index * settings.eventsPerRequest * 1000) / settings.pacedPerSecond;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
        }
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
    let recoveredAt = 0;
    let requestsPerSecondWhileDown = 0;
    if (settings.outageMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, settings.outageMs));
      const downFor = Date.now() - started;
      requestsPerSecondWhileDown = ((await metric(url, 'edx_event_router_delivery_requests_total')) - requestsBefore) / (downFor / 1000);
      await lrs.up();
      recoveredAt = Date.now();
    }
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
      refused503: lrs.refused(),
      recoveryMs: recoveredAt === 0 ? 0 : finished - recoveredAt,
      requestsPerSecondWhileDown,
      deliveredWithin10s:
        (await metric(url, 'edx_event_router_delivery_latency_seconds_bucket', { le: '10' })) /
        Math.max(1, await metric(url, 'edx_event_router_delivery_latency_seconds_count')),
      deadLettered: await metric(url, 'edx_event_router_events_dropped_total', { stage: 'delivery' }),
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
