import type { InboxInput } from '../../queue/inbox/port.js';

/** Whole lines read from a followed file, ready to commit with the offset after them. */
export interface Chunk {
  /** One inbox entry per non-blank line. */
  inputs: InboxInput[];
  /** Non-blank lines. */
  lines: number;
  /** Offset in the file just past the last line taken: the position committed with them. */
  end: number;
  /** Lines skipped as too long. */
  dropped: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits `data[0, usable)` (whole lines; `data` starts at file offset `base`) into inbox entries,
 * at most `maxLines` of them. Each line is stored as the pipeline reads it (parseEventLine): a
 * tracking-log line keeps only its JSON, from the first `{` to the last `}`, when nothing but
 * blanks follows; any other non-blank line is stored whole, so the pipeline counts it with its
 * reason (`unparsable_line`) rather than the follower losing it silently. Blank lines are skipped.
 */
export function splitChunk(data: Buffer, usable: number, base: number, maxLines: number): Chunk {
  const inputs: InboxInput[] = [];
  let lines = 0;
  let start = 0;
  while (start < usable && lines < maxLines) {
    let newline = data.indexOf(NEWLINE, start);
    if (newline < 0 || newline >= usable) newline = usable;
    let end = newline;
    if (end > start && data[end - 1] === CARRIAGE_RETURN) end -= 1;
    const body = lineBody(data.toString('utf8', start, end));
    if (body !== undefined) {
      inputs.push({ body });
      lines += 1;
    }
    start = Math.min(newline + 1, usable);
  }
  return { inputs, lines, end: base + start, dropped: 0 };
}

function lineBody(text: string): string | undefined {
  const open = text.indexOf('{');
  if (open < 0) return text.trim() === '' ? undefined : text;
  const close = text.lastIndexOf('}');
  if (close < open) return text;
  if (open === 0 && close === text.length - 1) return text;
  if (close !== text.length - 1 && text.slice(close + 1).trim() !== '') return text;
  return text.slice(open, close + 1);
}
