/**
 * Consecutive lines of a byte stream, still as bytes, with their positions: what a replay
 * checkpoints and seeks by. Decoding is left to whoever transforms the lines (a worker thread),
 * so the reading thread never holds the lines as strings.
 */
export interface LineBlock {
  /** The lines' bytes (each line's text lies in `spans`); oversized lines are not in it. */
  bytes: Buffer;
  /** `[start, end)` of each line's text in `bytes`, without its newline or a trailing `\r`. */
  spans: Uint32Array;
  /** Byte offset in the whole source just past each line's newline: where the next line starts. */
  endOffsets: Float64Array;
  /** 1-based number of the block's first line. */
  firstLine: number;
  /** Indexes of lines longer than `maxLineBytes`, dropped unread (their span is empty). */
  oversized: number[];
  /** The stream ended without a newline after the last line: it may be half-written. */
  unterminated: boolean;
}

/** A line with its position; `splitLines` decodes blocks into these. */
export interface PositionedLine {
  /** The line's text without its newline (and without a trailing `\r`); empty when `oversized`. */
  text: string;
  /** 1-based number in the stream. */
  lineNumber: number;
  /** Byte offset just past the line's newline: where the next line starts. */
  endOffset: number;
  unterminated?: true;
  oversized?: true;
}

export interface SplitLinesOptions {
  /** Number of the line before the first one in the stream (resuming mid-file). Default 0. */
  startLine?: number;
  /** Byte offset of the stream's first byte in the whole source (resuming by seek). Default 0. */
  startOffset?: number;
  /** Lines with a number up to this one are counted but left out (resuming a gzip). Default 0. */
  skipThroughLine?: number;
  /**
   * Longest line kept, bytes. Longer ones (binary junk without newlines) are dropped as they
   * stream, so memory stays bounded; they come out as `oversized`. Default 8 MiB.
   */
  maxLineBytes?: number;
  /** A block is emitted once it holds this many lines (at the end of an input chunk). Default 1. */
  minLines?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 13;
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

/**
 * Splits a byte stream into blocks of whole lines. Splitting bytes rather than decoded text is what
 * gives exact offsets; a `\n` byte never occurs inside a UTF-8 sequence, so every line decodes on
 * its own (ERB decoded each 2 MiB chunk separately and failed on a character split across two,
 * §6.2). When the stream fails, the error propagates and a partial last line is not yielded.
 */
export async function* splitLineBlocks(chunks: AsyncIterable<Buffer>, options: SplitLinesOptions = {}): AsyncGenerator<LineBlock> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const skipThrough = options.skipThroughLine ?? 0;
  const minLines = Math.max(1, options.minLines ?? 1);
  let lineNumber = options.startLine ?? 0;
  let chunkBase = options.startOffset ?? 0;
  // The partial line carried from one chunk to the next.
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let dropping = false;
  // The block being filled.
  let parts: Buffer[] = [];
  let blockBytes = 0;
  let spans: number[] = [];
  let ends: number[] = [];
  let oversized: number[] = [];
  let firstLine = 0;

  /** Adds a line to the block: `size` bytes (newline included) of which `textLength` are its text. */
  const addLine = (pieces: Buffer[], size: number, textLength: number, endOffset: number, tooLong: boolean): void => {
    if (ends.length === 0) firstLine = lineNumber;
    if (tooLong) {
      oversized.push(ends.length);
      spans.push(blockBytes, blockBytes);
    } else {
      spans.push(blockBytes, blockBytes + textLength);
      for (const piece of pieces) parts.push(piece);
      blockBytes += size;
    }
    ends.push(endOffset);
  };
  const lastByteOf = (pieces: Buffer[]): number | undefined => {
    const last = pieces[pieces.length - 1];
    return last === undefined || last.length === 0 ? undefined : last[last.length - 1];
  };

  const take = (unterminated: boolean): LineBlock => {
    const block: LineBlock = {
      bytes: Buffer.concat(parts, blockBytes),
      spans: Uint32Array.from(spans),
      endOffsets: Float64Array.from(ends),
      firstLine,
      oversized,
      unterminated,
    };
    parts = [];
    blockBytes = 0;
    spans = [];
    ends = [];
    oversized = [];
    return block;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      lineNumber += 1;
      const length = partialBytes + newline - start;
      const tooLong = dropping || length > maxLineBytes;
      if (lineNumber > skipThrough) {
        const lastByte = newline > start ? chunk[newline - 1] : lastByteOf(partial);
        const textLength = length - (lastByte === CARRIAGE_RETURN && length > 0 ? 1 : 0);
        // The newline goes into the block too, so a block's bytes are one stretch of the source.
        const pieces = tooLong ? [] : [...partial, chunk.subarray(start, newline + 1)];
        addLine(pieces, length + 1, textLength, chunkBase + newline + 1, tooLong);
      }
      partial = [];
      partialBytes = 0;
      dropping = false;
      start = newline + 1;
    }
    if (start < chunk.length && !dropping) {
      partialBytes += chunk.length - start;
      if (partialBytes > maxLineBytes) {
        dropping = true;
        partial = [];
      } else {
        partial.push(start === 0 ? chunk : chunk.subarray(start));
      }
    }
    chunkBase += chunk.length;
    if (ends.length >= minLines) yield take(false);
  }
  let unterminated = false;
  if (partialBytes > 0) {
    lineNumber += 1;
    if (lineNumber > skipThrough) {
      const textLength = partialBytes - (lastByteOf(partial) === CARRIAGE_RETURN ? 1 : 0);
      addLine(partial, partialBytes, textLength, chunkBase, dropping);
      unterminated = true;
    }
  }
  if (ends.length > 0) yield take(unterminated);
}

/** The lines of a block, decoded. */
export function blockLines(block: LineBlock): PositionedLine[] {
  const out: PositionedLine[] = [];
  const count = block.endOffsets.length;
  const oversized = new Set(block.oversized);
  for (let i = 0; i < count; i++) {
    const line: PositionedLine = {
      text: block.bytes.toString('utf8', block.spans[2 * i], block.spans[2 * i + 1]),
      lineNumber: block.firstLine + i,
      endOffset: block.endOffsets[i] as number,
    };
    if (i === count - 1 && block.unterminated) line.unterminated = true;
    if (oversized.has(i)) line.oversized = true;
    out.push(line);
  }
  return out;
}

/** Splits a byte stream into decoded lines, one array per block. */
export async function* splitLines(chunks: AsyncIterable<Buffer>, options: SplitLinesOptions = {}): AsyncGenerator<PositionedLine[]> {
  for await (const block of splitLineBlocks(chunks, options)) yield blockLines(block);
}
