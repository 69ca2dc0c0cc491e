import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import type { BodyTicket } from './body-budget.js';

/** How a body was read: its decoded bytes, or why not (the route's answer follows from `reason`). */
export type BodyRead =
  { ok: true; body: Buffer } | { ok: false; reason: 'body_too_large' | 'too_many_requests' | 'body_timeout' | 'bad_encoding' | 'aborted'; message: string };

export interface ReadBodyOptions {
  /** `Content-Encoding: gzip`: decode while reading. */
  readonly gzip: boolean;
  /** Largest body, bytes: both as sent and decoded (a gzip bomb stops here). */
  readonly maxBytes: number;
  /** The body budget of this request: every decoded byte is taken from it before it is kept. */
  readonly ticket: BodyTicket;
  /** The whole body must have arrived by then, ms from now. */
  readonly timeoutMs: number;
  /** Content-Length of a body sent without encoding: it is read straight into a buffer of that size. */
  readonly declaredBytes?: number;
}

/**
 * Reads a request body into one buffer that owns its memory (so that it can move to the pipeline
 * thread without a copy). Stops at the first reason to refuse it: too large, no room left in the
 * body budget, too slow, or gzip that does not decode. On a refusal the caller answers and closes
 * the connection; the rest of the body is never read.
 */
export function readBody(source: Readable, options: ReadBodyOptions): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // With a declared length the bytes are copied into one buffer as they come, so a body never
    // exists twice (chunks and their concatenation). Its pages are touched, and so count in
    // memory, only as bytes arrive; the budget takes them at the same pace.
    const declared = options.gzip ? undefined : options.declaredBytes;
    const direct = declared !== undefined && declared <= options.maxBytes;
    let target: Buffer | undefined;
    let size = 0;
    let sent = 0;
    let done = false;
    const gunzip: Gunzip | undefined = options.gzip ? createGunzip() : undefined;
    const decoded: Readable = gunzip ?? source;

    const finish = (outcome: BodyRead): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      source.off('data', onSent);
      decoded.off('data', onData);
      if (gunzip) {
        source.unpipe(gunzip);
        gunzip.destroy();
      }
      if (!outcome.ok) chunks.length = 0;
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          reason: 'body_timeout',
          message: `the body did not arrive within ${options.timeoutMs / 1000} s (EVENT_ROUTER_INGEST_BODY_TIMEOUT)`,
        }),
      options.timeoutMs,
    );
    const tooLarge = (): void =>
      finish({
        ok: false,
        reason: 'body_too_large',
        message: `the body is larger than ${options.maxBytes} bytes${options.gzip ? ' once decoded' : ''} (EVENT_ROUTER_INGEST_MAX_BODY_BYTES); send fewer events per request`,
      });
    // As sent (before decoding): a compressed body larger than the limit is refused too.
    const onSent = (chunk: Buffer): void => {
      sent += chunk.length;
      if (sent > options.maxBytes) tooLarge();
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > options.maxBytes) return tooLarge();
      if (!options.ticket.take(chunk.length)) {
        return finish({ ok: false, reason: 'too_many_requests', message: 'too many request bodies are being received at once; send again later' });
      }
      if (direct) {
        target ??= Buffer.allocUnsafeSlow(declared);
        if (size + chunk.length > target.length) return finish({ ok: false, reason: 'aborted', message: 'the body is longer than its Content-Length' });
        chunk.copy(target, size);
      } else {
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    decoded.on('data', onData);
    decoded.once('end', () => {
      if (direct) {
        target ??= Buffer.allocUnsafeSlow(0);
        if (size === target.length) return finish({ ok: true, body: target });
        return finish({ ok: false, reason: 'aborted', message: 'the body is shorter than its Content-Length' });
      }
      // allocUnsafeSlow: a buffer of its own (never a slice of the shared pool), so it can be transferred.
      const body = Buffer.allocUnsafeSlow(size);
      let at = 0;
      for (const chunk of chunks) at += chunk.copy(body, at);
      chunks.length = 0;
      finish({ ok: true, body });
    });
    gunzip?.once('error', (error) => finish({ ok: false, reason: 'bad_encoding', message: `the gzip body does not decode: ${error.message}` }));
    source.once('error', () => finish({ ok: false, reason: 'aborted', message: 'the client closed the connection' }));
    source.once('close', () => {
      if (!(source as { complete?: boolean }).complete) finish({ ok: false, reason: 'aborted', message: 'the client closed the connection' });
    });
    if (gunzip) {
      source.on('data', onSent);
      source.pipe(gunzip);
    }
  });
}

/** `Content-Encoding` of an ingest request: what we decode, or the unsupported value. */
export function bodyEncoding(header: string | undefined): { gzip: boolean } | { unsupported: string } {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return { gzip: false };
  if (value === 'gzip' || value === 'x-gzip') return { gzip: true };
  return { unsupported: value };
}
