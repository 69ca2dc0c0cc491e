import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

/** One answer of `rawRequest`. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/**
 * A request with node:http rather than fetch, for what fetch will not send: a `Host` or
 * `X-Forwarded-For` of our choosing, a `Content-Encoding`, a raw byte body.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A client that sends a `POST /events` body slowly: its headers, `first` bytes, then one byte every `everyMs` ms. */
export interface SlowUpload {
  /** The raw answer once the server sent one (or '' when it closed without), resolved at close. */
  readonly closed: Promise<string>;
  stop(): void;
}

export function slowUpload(base: string, options: { contentLength: number; first?: string; everyMs: number; headers?: Record<string, string> }): SlowUpload {
  const url = new URL(base);
  const socket: Socket = connect(Number(url.port), url.hostname);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const extra = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `POST /events HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${options.contentLength}\r\n${extra}\r\n${options.first ?? '{'}`,
  );
  const timer = setInterval(() => socket.write(' '), options.everyMs);
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve(answer);
    }),
  );
  return {
    closed,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
