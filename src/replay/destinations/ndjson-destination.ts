import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { ReplayDestination, SendOutcome } from '../destination.js';
import type { RecordEncoding } from '../transform-lines.js';

const NEWLINE = Buffer.from('\n');

export interface NdjsonDestinationOptions {
  /** The file to append to; `-` or undefined: standard output. */
  path?: string;
  /** Default `json`; `erb-xapi-log` writes ERB's log form (`--compat erb`, xAPI). */
  encoding?: RecordEncoding;
}

/**
 * `--output FILE` (appended to, never truncated: a resumed run adds to what the interrupted run
 * wrote) or `--output -` (stdout): one record per line. A batch is accepted once the stream has
 * written it to the file descriptor.
 */
export function createNdjsonDestination(options: NdjsonDestinationOptions = {}): ReplayDestination {
  const toStdout = options.path === undefined || options.path === '-';
  const stream: Writable = toStdout ? process.stdout : createWriteStream(options.path as string, { flags: 'a' });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });

  function write(text: Buffer): Promise<void> {
    if (failure) return Promise.reject(failure);
    // The callback runs once the text reached the file (or pipe), not when it was buffered, so a
    // checkpoint never gets ahead of what is on disk.
    return new Promise((done, fail) => stream.write(text, (error) => (error ? fail(error) : done())));
  }

  return {
    description: toStdout ? 'stdout' : (options.path as string),
    checkpointKey: toStdout ? 'stdout' : `file:${resolve(options.path as string)}`,
    encoding: options.encoding ?? 'json',
    async send(batch): Promise<SendOutcome> {
      const parts: Buffer[] = [];
      for (const record of batch) parts.push(record.bytes, NEWLINE);
      try {
        await write(Buffer.concat(parts));
        return { status: 'accepted', rejected: [] };
      } catch (error) {
        return { status: 'failed', error: `cannot write ${toStdout ? 'stdout' : options.path}: ${(error as Error).message}` };
      }
    },
    async close() {
      if (toStdout) return;
      await new Promise<void>((done) => {
        if (failure) return done();
        stream.end(() => done());
      });
    },
  };
}
