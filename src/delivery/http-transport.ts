import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Pool } from 'undici';
import { ABORTED, TIMEOUT, type Transport, type TransportRequest, type TransportResult } from './transport.js';

export interface HttpTransportOptions {
  /** Longest a whole request may take (connect, send, answer), ms. Default 10000. */
  timeoutMs?: number;
  /** Keep-alive connections per destination origin. Default 4. */
  connections?: number;
  /** How long an idle keep-alive connection stays open, ms. Default 30000. */
  keepAliveTimeoutMs?: number;
  /** Response text kept, characters; the rest is read and dropped. Default 65536. */
  maxResponseChars?: number;
  /** Destinations refused by the settings (link-local, cloud metadata), checked by URL and again for each resolved address. */
  guard?: DestinationGuard;
}

export interface DestinationGuard {
  /** Why this URL may not be sent to, or undefined. */
  refused(url: URL): string | undefined;
  /** True for an address a host name must not resolve to (DNS pointing at 169.254.169.254, say). */
  refusedAddress(address: string): boolean;
}

/** The error code of a request the guard refused: retryable, so the statements wait until the router is fixed. */
export const DESTINATION_REFUSED = 'EDESTINATIONREFUSED';

/** undici's own timeout codes: all mean "the destination did not answer in time". */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * One HTTP POST per call over an undici Pool per origin (keep-alive). Never throws: every
 * failure becomes a `{ kind: 'error' }` result for classify. Redirects are not followed
 * (as tincan; a 3xx is classified, not chased).
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxChars = options.maxResponseChars ?? 65_536;
  const pools = new Map<string, Pool>();
  let closed = false;

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connections ?? 4,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        connect: { timeout: timeoutMs, ...(options.guard ? { lookup: guardedLookup(options.guard) } : {}) },
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  return {
    async send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
      const started = performance.now();
      const elapsed = (): number => Math.round(performance.now() - started);
      if (closed) return { kind: 'error', code: ABORTED, message: 'transport closed', durationMs: 0 };
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      timer.unref();
      const onAbort = (): void => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) controller.abort();
      try {
        const url = new URL(request.url);
        const refused = options.guard?.refused(url);
        if (refused !== undefined) return { kind: 'error', code: DESTINATION_REFUSED, message: refused, durationMs: 0 };
        const response = await poolFor(url.origin).request({
          method: 'POST',
          path: `${url.pathname}${url.search}`,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        let body = '';
        // Always read to the end, so the connection goes back to the pool.
        for await (const chunk of response.body) {
          if (body.length < maxChars) body += (chunk as Buffer).toString('utf8');
        }
        return {
          kind: 'response',
          statusCode: response.statusCode,
          headers: response.headers,
          body: body.length > maxChars ? body.slice(0, maxChars) : body,
          durationMs: elapsed(),
        };
      } catch (error) {
        const code = timedOut ? TIMEOUT : signal?.aborted ? ABORTED : errorCode(error);
        return { kind: 'error', code, message: errorMessage(error), durationMs: elapsed() };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.destroy()));
    },
  };
}

/** The most specific code in an error, its cause, or (for happy-eyeballs) its first sub-error. */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[]; name?: unknown };
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  if (typeof code === 'string') return TIMEOUT_CODES.has(code) ? TIMEOUT : code;
  return typeof e?.name === 'string' ? e.name : 'UNKNOWN';
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

/** dns.lookup that fails when any address it found is refused (both the single and the `all` forms net.connect uses). */
function guardedLookup(guard: DestinationGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((entry) => guard.refusedAddress(entry.address));
      if (bad !== undefined) {
        const refused = Object.assign(new Error(`${hostname} resolves to ${bad.address}, a refused destination address`), { code: DESTINATION_REFUSED });
        return callback(refused, '', 0);
      }
      if (options.all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      return first === undefined
        ? callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 0)
        : callback(null, first.address, first.family);
    });
  };
}
