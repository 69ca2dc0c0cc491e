import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInside } from '../routers/destination-policy.js';
import type { Transport, TransportRequest, TransportResult } from './transport.js';

export interface FileTransportOptions {
  /**
   * EVENT_ROUTER_FILE_ROUTES_DIR: files are written only below it. Undefined: every `file://`
   * request fails (retryable: the statements wait until the setting or the router is fixed).
   */
  readonly root: string | undefined;
}

// Appends only, creates 0600, and refuses a symbolic link as the file itself.
const OPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/**
 * Appends `request.lines` as NDJSON to the file of a `file://` route. Appends to one file are
 * chained so that concurrent batches never interleave. The directory must exist; a failure
 * (missing directory, full disk, a path outside the configured directory or through a symbolic
 * link) is a retryable error, so nothing is lost while it is fixed. The router was checked
 * against the same directory when it was saved; this check is the one that holds when the
 * setting changed since, or when someone put a link in the directory.
 * A success answers like an HTTP 200 so classify needs no special case.
 */
export function createFileTransport(options: FileTransportOptions): Transport {
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
      const write = (tails.get(path) ?? Promise.resolve()).then(() => appendInside(options.root, path, text));
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

function refused(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

async function appendInside(root: string | undefined, path: string, text: string): Promise<void> {
  if (root === undefined) throw refused('EFILEROUTESOFF', 'file:// routers are off: set EVENT_ROUTER_FILE_ROUTES_DIR');
  if (!isInside(root, path)) throw refused('EOUTSIDEDIR', `${path} is outside EVENT_ROUTER_FILE_ROUTES_DIR (${root})`);
  // No symbolic link between the configured directory and the file: the real parent must be
  // where the path says it is (the configured directory itself may be a link).
  const expected = resolve(await realpath(root), relative(root, dirname(resolve(path))));
  const actual = await realpath(dirname(resolve(path)));
  if (actual !== expected) throw refused('ESYMLINK', `${dirname(path)} leads through a symbolic link (to ${actual}); not followed`);
  const file = await open(path, OPEN_FLAGS, 0o600);
  try {
    await file.appendFile(text, 'utf8');
  } finally {
    await file.close();
  }
}
