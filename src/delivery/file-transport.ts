import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Transport, TransportRequest, TransportResult } from './transport.js';

/**
 * Appends `request.lines` as NDJSON to the file of a `file://` route. Appends to one file are
 * chained so that concurrent batches never interleave. The directory must exist; a failure
 * (missing directory, full disk) is a retryable error, so nothing is lost while it is fixed.
 * A success answers like an HTTP 200 so classify needs no special case.
 */
export function createFileTransport(): Transport {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async send(request: TransportRequest): Promise<TransportResult> {
      const started = performance.now();
      const elapsed = (): number => Math.round(performance.now() - started);
      let path: string;
      try {
        path = fileURLToPath(request.url);
      } catch (error) {
        return { kind: 'error', code: 'EINVALIDURL', message: (error as Error).message, durationMs: 0 };
      }
      const text = (request.lines ?? []).map((line) => `${line}\n`).join('');
      const write = (tails.get(path) ?? Promise.resolve()).then(() => appendFile(path, text, 'utf8'));
      const tail = write.catch(() => undefined);
      tails.set(path, tail);
      try {
        await write;
        return { kind: 'response', statusCode: 200, headers: {}, body: '', durationMs: elapsed() };
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        return { kind: 'error', code: e.code ?? 'EIO', message: e.message, durationMs: elapsed() };
      } finally {
        if (tails.get(path) === tail) tails.delete(path);
      }
    },
    async close() {
      await Promise.all(tails.values());
    },
  };
}
