import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** How a source's bytes are stored. */
export type ByteEncoding = 'plain' | 'gzip';

export interface DecodedBytes {
  encoding: ByteEncoding;
  /** The text bytes: the input itself, or its gunzipped content. */
  chunks: AsyncIterable<Buffer>;
}

/** gunzip output buffer: larger than zlib's 16 KiB default, so fewer, bigger chunks reach the splitter. */
const GUNZIP_CHUNK_BYTES = 128 * 1024;

/**
 * Reads the first bytes of a raw stream and gunzips it when they are the gzip magic bytes
 * (whatever the name says: rotated logs are often renamed). `onRawBytes` sees every raw (still
 * compressed) chunk, for progress and ETA. Errors of the raw stream and of gunzip (a truncated
 * or corrupt file) surface from iterating `chunks`; a multi-member gzip is read whole.
 */
export async function decodeBytes(raw: AsyncIterable<Buffer>, onRawBytes: (count: number) => void = () => {}): Promise<DecodedBytes> {
  const iterator = raw[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  // Two bytes decide it; a first chunk of one byte is possible on any stream.
  while (head.length < 2 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      onRawBytes(next.value.length);
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
  }
  async function* counted(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        onRawBytes(next.value.length);
        yield next.value;
      }
    } finally {
      // A consumer that stops early (interrupt, error) must close the file or connection too.
      if (!done) await iterator.return?.();
    }
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) return { encoding: 'plain', chunks: counted() };
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  // pipeline: an error on either side reaches the reader through gunzip, and a reader that stops
  // early tears down the raw side as well.
  pipeline(Readable.from(counted(), { objectMode: false }), gunzip, () => {});
  return { encoding: 'gzip', chunks: gunzip };
}
