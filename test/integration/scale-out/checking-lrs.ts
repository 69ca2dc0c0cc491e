import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real xAPI endpoint on loopback for runs of 100,000 statements and more: it keeps, per
 * statement id, how often it came and a digest of its canonical JSON (not the bodies, which
 * would take hundreds of MB), so a run can check every delivery against the expected output.
 * Answers 200 with the ids, as an LRS does.
 */
export interface CheckingLrs {
  /** xAPI base URL (`…/xapi/`); statements arrive at `…/xapi/statements`. */
  readonly url: string;
  /** Distinct statement ids received. */
  distinct(): number;
  /** Statements received in all, repeats included. */
  received(): number;
  /** Epoch ms of the last request. */
  lastAt(): number;
  /** id → digests of every copy received (more than one digest: a repeat that differs). */
  digests(): ReadonlyMap<string, { count: number; digest: string; differing: number }>;
  close(): Promise<void>;
}

/** SHA-1 of the JSON text with object keys sorted at every level: equal for equal statements. */
export function statementDigest(statement: unknown): string {
  return createHash('sha1').update(canonicalJson(statement)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `digest: false` keeps ids and counts only (benchmarks: less CPU taken from the service). */
export async function startCheckingLrs(options: { digest?: boolean } = {}): Promise<CheckingLrs> {
  const keepDigests = options.digest ?? true;
  const seen = new Map<string, { count: number; digest: string; differing: number }>();
  let received = 0;
  let last = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let statements: unknown;
      try {
        statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"not JSON"}');
        return;
      }
      const list = Array.isArray(statements) ? statements : [statements];
      const ids: string[] = [];
      for (const statement of list) {
        const id = String((statement as { id?: unknown } | null)?.id);
        const digest = keepDigests ? statementDigest(statement) : '';
        const entry = seen.get(id);
        if (entry === undefined) seen.set(id, { count: 1, digest, differing: 0 });
        else {
          entry.count += 1;
          if (entry.digest !== digest) entry.differing += 1;
        }
        ids.push(id);
      }
      received += list.length;
      last = Date.now();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ids));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xapi/`,
    distinct: () => seen.size,
    received: () => received,
    lastAt: () => last,
    digests: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
