import { splitLineBlocks, type LineBlock } from '../sources/tracking-log/byte-lines.js';
import { decodeBytes, type ByteEncoding } from '../sources/tracking-log/decoded-bytes.js';
import type { Checkpoint } from './checkpoint-store.js';
import { sleep } from './sleep.js';
import type { ReplaySource } from './sources/replay-source.js';

/** Lines read from a source, with how the source is stored (known after its first bytes). */
export interface ReadBlock {
  encoding: ByteEncoding;
  block: LineBlock;
}

/** A source stopped being readable; everything before `afterLine` was read. */
export class SourceReadError extends Error {
  constructor(
    message: string,
    /** The last line read in full (0: none). */
    readonly afterLine: number,
  ) {
    super(message);
  }
}

export interface ReadSourceOptions {
  /** Where an earlier run stopped. */
  from?: Checkpoint;
  /** Every raw byte read (compressed for gzip): progress. */
  onRawBytes?: (count: number) => void;
  /** Reopen attempts after transient errors (network drops) for the whole source. Default 3. */
  maxReopens?: number;
  signal?: AbortSignal;
  /** Lines per block (at least; blocks end at input chunk ends). Default 1. */
  minLines?: number;
}

/**
 * The lines of a source from a checkpoint on. A plain source is resumed by seeking to the byte
 * offset; a gzip one is decompressed from its start and the lines already replayed are counted,
 * not decoded. A transient error (S3 connection drop) reopens the source where it stopped, up to
 * `maxReopens` times; anything else (a truncated gzip, a vanished file) ends the stream with a
 * SourceReadError saying after which line, and the lines before it stay delivered.
 */
export async function* readSourceLines(source: ReplaySource, options: ReadSourceOptions = {}): AsyncGenerator<ReadBlock> {
  const onRawBytes = options.onRawBytes ?? (() => {});
  const maxReopens = options.maxReopens ?? 3;
  let lines = options.from?.lines ?? 0;
  let bytes = options.from?.bytes ?? 0;
  let encoding: ByteEncoding | undefined = options.from?.encoding;

  for (let reopens = 0; ; reopens++) {
    try {
      const minLines = options.minLines ?? 1;
      let split: AsyncGenerator<LineBlock>;
      if (encoding === 'plain' && bytes > 0) {
        const raw = await source.open(bytes);
        split = splitLineBlocks(counting(raw, onRawBytes), { startLine: lines, startOffset: bytes, minLines });
      } else {
        const decoded = await decodeBytes(await source.open(0), onRawBytes);
        encoding = decoded.encoding;
        split = splitLineBlocks(decoded.chunks, { skipThroughLine: lines, minLines });
      }
      for await (const block of split) {
        yield { encoding, block };
        const count = block.endOffsets.length;
        lines = block.firstLine + count - 1;
        bytes = block.endOffsets[count - 1] as number;
        if (options.signal?.aborted) return;
      }
      return;
    } catch (error) {
      if (options.signal?.aborted) return;
      if (reopens < maxReopens && source.isTransient(error)) {
        await sleep(500 * 2 ** reopens, options.signal);
        continue;
      }
      throw new SourceReadError(describeReadError(error, encoding), lines);
    }
  }
}

async function* counting(raw: AsyncIterable<Buffer>, onRawBytes: (count: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of raw) {
    onRawBytes(chunk.length);
    yield chunk;
  }
}

/** What the user reads: the location comes with it from the caller. */
function describeReadError(error: unknown, encoding: ByteEncoding | undefined): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) return 'truncated gzip: unexpected end of file';
  if (e?.code === 'Z_DATA_ERROR' || (encoding === 'gzip' && /header|check|invalid/i.test(e?.message ?? ''))) return `corrupt gzip data: ${e.message}`;
  if (e?.code === 'ENOENT') return 'the file is gone (ENOENT)';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e?.code !== undefined && !(e.message ?? '').includes(e.code) ? `${e.code}: ${e.message}` : (e?.message ?? String(error));
}
