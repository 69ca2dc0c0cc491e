import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A line with its 1-based number in its source. */
export interface SourceLine {
  line: string;
  lineNumber: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** True when the file starts with the gzip magic bytes (whatever its name says). */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** A file's text stream, gunzipped when it is gzip. Streams: memory does not grow with size. */
export async function openTextFile(path: string): Promise<Readable> {
  const gz = await isGzipFile(path);
  const stream = createReadStream(path);
  return gz ? stream.pipe(createGunzip()) : stream;
}

/** Lines of a stream (\n or \r\n), numbered from 1. A last line without newline is included. */
export async function* readLines(input: Readable): AsyncGenerator<SourceLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    yield { line, lineNumber };
  }
}
