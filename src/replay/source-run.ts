import type { LineBlock } from '../sources/tracking-log/byte-lines.js';
import type { ByteEncoding } from '../sources/tracking-log/decoded-bytes.js';
import type { ErrorsLog } from '../sources/tracking-log/errors-log.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { ReplayDestination, ReplayRecord, SendOutcome } from './destination.js';
import type { LineTransformer } from './line-transformer.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReplaySummary } from './replay-summary.js';
import { sleep } from './sleep.js';
import { readSourceLines, SourceReadError } from './source-reader.js';
import type { ReplaySource } from './sources/replay-source.js';
import type { UnitOutput } from './transform-lines.js';

/** What every source of a run shares. */
export interface SourceRunContext {
  transformer: LineTransformer;
  destination: ReplayDestination;
  checkpoints: CheckpointStore | undefined;
  summary: ReplaySummary;
  errors: ErrorsLog;
  limiter: RateLimiter;
  /** Records per batch (a line's records are never split, so a batch may run a few over). */
  batchSize: number;
  /** Pause after each full batch, ms (`--sleep`). */
  sleepMs: number;
  /** Aborted on interrupt or when the destination failed: stop reading, abort sends. */
  signal: AbortSignal;
}

/** How one source ended. */
export type SourceResult =
  | { status: 'completed' }
  | { status: 'already_done' }
  | { status: 'unreadable'; afterLine: number; message: string }
  | { status: 'stopped' }
  | { status: 'destination_failed'; error: string };

/** Lines per unit handed to the transformer: big enough to amortise a worker round trip. */
const UNIT_LINES = 256;
/**
 * Units transformed ahead of the one being batched: keeps every worker busy while the reading
 * thread waits on the LRS. 8 rather than 4 made a 200,000-line replay 12-20 % faster (same CPU
 * time, fewer idle workers) for ~10 MB more peak RSS.
 */
const UNITS_AHEAD = 8;
/** Batches in flight per source: sent while the next fills; a third one covers a slow answer. */
const BATCHES_IN_FLIGHT = 3;

interface Position {
  lines: number;
  bytes: number;
}

/** A block sent to the transformer; its bytes went with it, its positions stay here. */
interface Unit {
  firstLine: number;
  endOffsets: Float64Array;
  oversized: number[];
  unterminated: boolean;
  output: Promise<UnitOutput>;
}

interface InFlight {
  outcome: Promise<SendOutcome>;
  records: ReplayRecord[];
  end: Position;
}

class DestinationFailed extends Error {}

/**
 * Replays one source: read lines → transform (ahead, in workers) → batch → send → checkpoint.
 * Memory stays bounded whatever the source size: reading waits for transforming, which waits
 * for sending (UNITS_AHEAD units and BATCHES_IN_FLIGHT batches at most). A checkpoint moves past
 * a batch only once the destination accepted it and every batch before it.
 */
export async function replaySource(source: ReplaySource, run: SourceRunContext): Promise<SourceResult> {
  const { summary, destination, signal } = run;
  const saved = await run.checkpoints?.get(source.identity);
  if (saved?.done) {
    summary.sourcesAlreadyDone += 1;
    return { status: 'already_done' };
  }
  if (saved !== undefined) summary.sourcesResumed += 1;

  let encoding: ByteEncoding = saved?.encoding ?? 'plain';
  let position: Position = { lines: saved?.lines ?? 0, bytes: saved?.bytes ?? 0 };
  let batch: ReplayRecord[] = [];
  const units: Unit[] = [];
  const inFlight: InFlight[] = [];

  const save = async (end: Position, done: boolean): Promise<void> => {
    await run.checkpoints?.save({ identity: source.identity, source: source.name, encoding, lines: end.lines, bytes: end.bytes, done });
  };

  async function settleOldest(): Promise<void> {
    const oldest = inFlight.shift() as InFlight;
    const outcome = await oldest.outcome;
    if (outcome.status === 'failed') throw new DestinationFailed(outcome.error);
    summary.batchesSent += 1;
    summary.recordsSent += oldest.records.length - outcome.rejected.length;
    for (const { record, reason: refusal, error } of outcome.rejected) {
      const reason = refusal === 'conflict' ? 'destination_conflict' : 'destination_rejected';
      summary.skipAt(reason, { file: source.name, line: record.line, message: error });
      await run.errors.write({ file: source.name, line: record.line, reason, name: record.eventName, message: error });
    }
    await save(oldest.end, false);
  }

  async function dispatch(end: Position): Promise<void> {
    const records = batch;
    batch = [];
    await run.limiter.take(records.length, signal);
    if (signal.aborted) return;
    const meta = { source: source.name, firstLine: (records[0] as ReplayRecord).line, lastLine: (records[records.length - 1] as ReplayRecord).line };
    inFlight.push({ outcome: destination.send(records, meta, signal), records, end });
    while (inFlight.length >= BATCHES_IN_FLIGHT) await settleOldest();
    if (run.sleepMs > 0) await sleep(run.sleepMs, signal);
  }

  async function consume(unit: Unit): Promise<void> {
    const output = await unit.output;
    const count = unit.endOffsets.length;
    const at = (index: number): Position => ({ lines: unit.firstLine + index, bytes: unit.endOffsets[index] as number });
    summary.linesRead += output.linesRead;
    summary.eventsTransformed += output.eventsTransformed;
    summary.recordsWritten += output.recordEnds.length;
    for (const [kind, total] of Object.entries(output.notes)) for (let i = 0; i < total; i++) summary.note(kind);
    for (const index of unit.oversized) {
      summary.linesRead += 1;
      const last = unit.unterminated && index === count - 1;
      await reportSkip(unit.firstLine + index, 'unparsable_line', `line longer than the limit; skipped unread${last ? ' (last line, no newline)' : ''}`);
    }
    for (const skip of output.skips) {
      // A last line without newline that does not parse was most likely still being written.
      const last = unit.unterminated && skip.index === count - 1;
      const message = last && skip.reason === 'unparsable_line' ? `${skip.message} (last line, no newline: half-written?)` : skip.message;
      await reportSkip(unit.firstLine + skip.index, skip.reason, message, skip.name);
    }
    const { records, recordEnds, recordLine, routes } = output;
    const routerCount = routes === undefined ? 0 : routes.length / recordEnds.length;
    const buffer = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
    let next = 0;
    while (next < recordEnds.length) {
      const index = recordLine[next] as number;
      const lineNumber = unit.firstLine + index;
      while (recordLine[next] === index) {
        const start = next === 0 ? 0 : (recordEnds[next - 1] as number);
        const record: ReplayRecord = {
          bytes: buffer.subarray(start, recordEnds[next]),
          id: output.ids[next] as string,
          eventName: output.names[next] as string,
          line: lineNumber,
        };
        if (routes !== undefined) record.routes = routes.subarray(next * routerCount, (next + 1) * routerCount);
        batch.push(record);
        next += 1;
      }
      if (batch.length >= run.batchSize) await dispatch(at(index));
      if (signal.aborted) return;
    }
    if (count > 0) position = at(count - 1);
  }

  async function reportSkip(line: number, reason: string, message: string, name?: string): Promise<void> {
    summary.skipAt(reason, { file: source.name, line, message });
    await run.errors.write(name === undefined ? { file: source.name, line, reason, message } : { file: source.name, line, reason, name, message });
  }

  function submit(block: LineBlock): void {
    units.push({
      firstLine: block.firstLine,
      endOffsets: block.endOffsets,
      oversized: block.oversized,
      unterminated: block.unterminated,
      output: run.transformer.transform({ bytes: block.bytes, spans: block.spans }),
    });
  }

  let readError: SourceReadError | undefined;
  try {
    try {
      const reading = readSourceLines(source, {
        ...(saved ? { from: saved } : {}),
        onRawBytes: (count) => (summary.bytesRead += count),
        signal,
        minLines: UNIT_LINES,
      });
      for await (const chunk of reading) {
        encoding = chunk.encoding;
        submit(chunk.block);
        while (units.length > UNITS_AHEAD) await consume(units.shift() as Unit);
        if (signal.aborted) break;
      }
    } catch (error) {
      if (!(error instanceof SourceReadError)) throw error;
      readError = error;
    }
    // What was read before an error or the end is delivered all the same.
    while (units.length > 0 && !signal.aborted) await consume(units.shift() as Unit);
    if (batch.length > 0 && !signal.aborted) await dispatch(position);
    while (inFlight.length > 0) await settleOldest();
  } catch (error) {
    // Let the sends already made settle (they never reject) before the run reports.
    await Promise.all(inFlight.map((entry) => entry.outcome));
    await Promise.allSettled(units.map((unit) => unit.output));
    if (signal.aborted) return { status: 'stopped' };
    if (error instanceof DestinationFailed) return { status: 'destination_failed', error: error.message };
    throw error;
  }
  if (signal.aborted) return { status: 'stopped' };
  if (readError !== undefined) {
    await save(position, false);
    const line = readError.afterLine + 1;
    summary.unreadable.push({ file: source.name, line, message: `stopped reading: ${readError.message}` });
    await run.errors.write({ file: source.name, line, reason: 'unreadable_source', message: readError.message });
    return { status: 'unreadable', afterLine: readError.afterLine, message: readError.message };
  }
  await save(position, true);
  summary.sourcesCompleted += 1;
  return { status: 'completed' };
}
