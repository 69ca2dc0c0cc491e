import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake LRS received, with the answer it gave. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** The status answered; undefined while pending, or when the socket was destroyed. */
  status?: number;
}

/** A scripted answer. `delayMs` holds it back (timeouts); `destroy` drops the connection unanswered. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as is when a string, as JSON otherwise. */
  body?: unknown;
  delayMs?: number;
  destroy?: boolean;
}

export type Responder = (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>;

export interface FakeLrs {
  /** `http://127.0.0.1:<port>/`; use as an xAPI base URL or as a Caliper endpoint. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuses them). */
  readonly connections: number;
  /** Answers to use first, in order; then the responder. */
  script(...responses: FakeResponse[]): void;
  /** Replaces the responder (default: 200 with the statement ids, like an LRS). */
  respondWith(responder: Responder): void;
  /** xAPI statements stored by id (Ralph's rules, see `FakeLrsOptions.ralph`). */
  readonly stored: ReadonlyMap<string, string>;
  /** Every statement/event of the requests answered 2xx, in arrival order (duplicates kept). */
  accepted(): unknown[];
  /** Ids of `accepted()` items. */
  acceptedIds(): string[];
  /** Stops listening and drops open connections; the port stays reserved for `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Polls `predicate` every 10 ms; rejects with `message` after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, message?: string): Promise<void>;
  close(): Promise<void>;
}

/** The statements of a request: an xAPI array, or the `data` of a Caliper envelope. */
export function statementsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null && Array.isArray((body as { data?: unknown }).data)) {
    return (body as { data: unknown[] }).data;
  }
  return body === undefined ? [] : [body];
}

/** Whether the fake LRS took the request: 200, or 204 when every statement was already stored (Ralph). */
export function wasAccepted(request: RecordedRequest): boolean {
  return request.status !== undefined && request.status >= 200 && request.status < 300;
}

/** The `id` of a statement or event. */
export function idOf(statement: unknown): string {
  return String((statement as { id?: unknown } | null)?.id);
}

export interface FakeLrsOptions {
  /**
   * Answer xAPI `POST …/statements` by Ralph's id rules (openedx-deployment.md §3), on top of
   * the responder: the same id twice in one request is 400; when the responder accepts, an id
   * already stored with a different statement makes the whole request 409 and stores nothing of
   * it, and a request whose ids were all stored with the same statements is 204 with an empty
   * body. Statements compare as their JSON text (a resend must be byte-identical). Default true.
   */
  ralph?: boolean;
}

export const lrsAccepts: Responder = (request) => ({ status: 200, body: statementsOf(request.body).map(idOf) });

/**
 * A real HTTP server on 127.0.0.1 that records requests and answers from a script or a
 * function (architecture §15: scripted fake LRS). Start one per test; close it in `after`.
 */
export async function startFakeLrs(responder: Responder = lrsAccepts, options: FakeLrsOptions = {}): Promise<FakeLrs> {
  const ralph = options.ralph ?? true;
  const stored = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const scripted: FakeResponse[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let respond = responder;
  let server: Server | null = null;
  let port = 0;
  let connections = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown = rawBody;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      // not JSON: keep the text
    }
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, rawBody };
    const index = requests.push(recorded) - 1;
    const xapi = ralph && req.method === 'POST' && /\/statements\/?(\?.*)?$/.test(recorded.url);
    const statements = xapi ? statementsOf(body) : [];
    const ids = statements.map(idOf);
    const repeated = new Set(ids).size !== ids.length;
    let answer: FakeResponse = repeated
      ? { status: 400, body: { detail: 'Duplicate statement ids in the request' } }
      : (scripted.shift() ?? (await respond(recorded, index)));
    if (xapi && !repeated && answer.status >= 200 && answer.status < 300 && !answer.destroy) answer = applyIds(statements, answer);
    if (answer.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, answer.delayMs);
        timers.add(timer);
      });
    }
    if (answer.destroy || res.destroyed) {
      req.socket.destroy();
      return;
    }
    const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
    recorded.status = answer.status;
  }

  /** Ralph's rules for ids, once the responder has accepted the request. */
  function applyIds(statements: unknown[], accepted: FakeResponse): FakeResponse {
    const texts = statements.map((s) => JSON.stringify(s));
    const fresh: number[] = [];
    for (const [i, statement] of statements.entries()) {
      const held = stored.get(idOf(statement));
      if (held === undefined) fresh.push(i);
      else if (held !== texts[i]) return { ...accepted, status: 409, body: { detail: `Differing statement already stored: ${idOf(statement)}` } };
    }
    if (fresh.length === 0) return { ...accepted, status: 204, body: undefined };
    for (const i of fresh) stored.set(idOf(statements[i]), texts[i] as string);
    return accepted;
  }

  async function listen(): Promise<void> {
    const next = createServer((req, res) => {
      handle(req, res).catch(() => res.destroy());
    });
    next.on('connection', (socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = null;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await listen();
  const fake: FakeLrs = {
    get url() {
      return `http://127.0.0.1:${port}/`;
    },
    get port() {
      return port;
    },
    requests,
    stored,
    get connections() {
      return connections;
    },
    script: (...responses) => void scripted.push(...responses),
    respondWith: (next) => void (respond = next),
    accepted: () => requests.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300).flatMap((r) => statementsOf(r.body)),
    acceptedIds: () => fake.accepted().map(idOf),
    down: stop,
    up: listen,
    async waitFor(predicate, timeoutMs, message = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake LRS: timed out after ${timeoutMs} ms waiting for ${message}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: stop,
  };
  return fake;
}
