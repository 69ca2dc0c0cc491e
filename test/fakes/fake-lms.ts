import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake LMS received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** `up`: answers; `error`: 503 to everything; `hang`: never answers (timeouts). */
export type FakeLmsMode = 'up' | 'error' | 'hang';

export interface FakeLmsOptions {
  /** Course key → display name (null: the course has none). */
  readonly courses?: Record<string, string | null>;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** `expires_in` of issued tokens, in seconds. Default 3600. */
  readonly tokenTtlS?: number;
}

export interface FakeLms {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly courses: Map<string, string | null>;
  readonly requests: RecordedRequest[];
  mode: FakeLmsMode;
  /** Revokes every issued token: the next API call answers 401. */
  revokeTokens(): void;
  /** Requests to a path prefix, e.g. `/oauth2/access_token`. */
  count(pathPrefix: string): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) with the two LMS endpoints the router uses:
 * POST /oauth2/access_token (client credentials, token_type=jwt) and
 * GET /api/courses/v1/courses/<course_id>/ (JWT auth). Course keys are looked up without case,
 * as the LMS database does, and answered with the stored key.
 */
export async function startFakeLms(options: FakeLmsOptions = {}): Promise<FakeLms> {
  const clientId = options.clientId ?? 'router-client';
  const clientSecret = options.clientSecret ?? 'router-secret';
  const courses = new Map(Object.entries(options.courses ?? {}));
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const hanging = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, body });
    if (fake.mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (fake.mode === 'error') return json(res, 503, { detail: 'service unavailable' });
    if (req.method === 'POST' && url.pathname === '/oauth2/access_token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return json(res, 401, { error: 'invalid_client' });
      }
      const token = `fake.${randomBytes(12).toString('hex')}.jwt`;
      tokens.add(token);
      const tokenType = form.get('token_type') === 'jwt' ? 'JWT' : 'Bearer';
      return json(res, 200, { access_token: token, expires_in: options.tokenTtlS ?? 3600, token_type: tokenType, scope: 'read' });
    }
    const match = /^\/api\/courses\/v1\/courses\/(.+)\/$/.exec(url.pathname);
    if (req.method === 'GET' && match !== null) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('JWT ') || !tokens.has(auth.slice(4))) return json(res, 401, { detail: 'invalid token' });
      const requested = decodeURIComponent(match[1] as string);
      if (!/^(course-v1|ccx-v1):[^+]+\+[^+]+\+.+$|^[^/]+\/[^/]+\/[^/]+$/.test(requested)) {
        return json(res, 400, { detail: 'invalid course key' });
      }
      const key = [...courses.keys()].find((k) => k.toLowerCase() === requested.toLowerCase());
      if (key === undefined) return json(res, 404, { detail: 'Not found.' });
      return json(res, 200, { id: key, course_id: key, name: courses.get(key), org: key.split(/[:+/]/)[1] ?? '' });
    }
    json(res, 404, { detail: 'Not found.' });
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeLms = {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    courses,
    requests,
    mode: 'up',
    revokeTokens: () => tokens.clear(),
    count: (prefix) => requests.filter((r) => r.path.startsWith(prefix)).length,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
