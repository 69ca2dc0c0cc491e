import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, startService } from './end-to-end.js';
import { buildEventLines } from './sample-events.js';

/** What `npm run bench ingest-abuse` measures (issue: slow uploads, memory under large bodies). */
export interface IngestAbuseResult {
  /** Median time of a normal POST (81 events) with nothing else going on, ms. */
  aloneMs: number;
  /** The same while 100 clients trickle request bodies one byte every 5 s, ms; null when refused. */
  besideSlowMs: number | null;
  /** Status of the POSTs beside the slow uploads. */
  besideSlowStatus: number[];
  /** Resident memory before the large bodies, and the peak (VmHWM) after them, bytes. */
  baseRssBytes: number;
  peakRssBytes: number;
  /** The body budget: EVENT_ROUTER_INGEST_MAX_IN_FLIGHT × EVENT_ROUTER_INGEST_MAX_BODY_BYTES. */
  budgetBytes: number;
  bodyLimitBytes: number;
  /** Answers of the concurrent large POSTs, by status. */
  largeAnswers: Record<string, number>;
  largeBodyBytes: number;
  largeRequests: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function measureIngestAbuse(options: { largeRequests?: number; largeBodyBytes?: number } = {}): Promise<IngestAbuseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-abuse-'));
  const bodyLimitBytes = 10 * 1024 * 1024;
  const inFlight = 64;
  const { child, url } = await startService(dir, {
    EVENT_ROUTER_DATA_DIR: join(dir, 'data'),
    EVENT_ROUTER_PORT: 0,
    EVENT_ROUTER_ADMIN_TOKEN: 'bench-admin-token-000000001',
    EVENT_ROUTER_LOG_LEVEL: 'warn',
    XAPI_EVENT_LOGGING_ENABLED: false,
    EVENT_ROUTER_INBOX_MAX_DEPTH: 100_000_000,
  });
  const pid = child.pid ?? 0;
  try {
    const sample = buildEventLines(81).join('\n');
    const timedPost = async (): Promise<{ ms: number; status: number }> => {
      const started = performance.now();
      const response = await fetch(`${url}/events`, { method: 'POST', body: sample, headers: { 'content-type': 'application/x-ndjson' } });
      await response.text();
      return { ms: performance.now() - started, status: response.status };
    };
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) alone.push((await timedPost()).ms);

    const target = new URL(url);
    const slow: Socket[] = [];
    for (let i = 0; i < 100; i++) {
      const socket = connect(Number(target.port), target.hostname);
      socket.on('error', () => undefined);
      socket.write(`POST /events HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n{`);
      const timer = setInterval(() => socket.write(' '), 5000);
      socket.once('close', () => clearInterval(timer));
      slow.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const beside: Array<{ ms: number; status: number }> = [];
    for (let i = 0; i < 5; i++) beside.push(await timedPost());
    for (const socket of slow) socket.destroy();
    const accepted = beside.filter((b) => b.status === 202).map((b) => b.ms);

    const largeRequests = options.largeRequests ?? 64;
    const lines = buildEventLines(1000);
    let text = '';
    for (let i = 0; text.length < (options.largeBodyBytes ?? 9.5 * 1024 * 1024); i++) text += `${lines[i % lines.length]}\n`;
    const large = Buffer.from(text);
    const baseRssBytes = memory(pid).rss;
    const answers = await Promise.all(
      Array.from({ length: largeRequests }, () =>
        fetch(`${url}/events`, { method: 'POST', body: large, headers: { 'content-type': 'application/x-ndjson' } }).then(
          async (r) => `${r.status} ${((await r.json()) as { error?: string }).error ?? ''}`.trim(),
          (error: Error) => `error ${(error.cause as { code?: string } | undefined)?.code ?? error.message}`,
        ),
      ),
    );
    const largeAnswers: Record<string, number> = {};
    for (const answer of answers) largeAnswers[answer] = (largeAnswers[answer] ?? 0) + 1;
    return {
      aloneMs: median(alone),
      besideSlowMs: accepted.length === 0 ? null : median(accepted),
      besideSlowStatus: beside.map((b) => b.status),
      baseRssBytes,
      peakRssBytes: memory(pid).hwm,
      budgetBytes: inFlight * bodyLimitBytes,
      bodyLimitBytes,
      largeAnswers,
      largeBodyBytes: large.length,
      largeRequests,
    };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
