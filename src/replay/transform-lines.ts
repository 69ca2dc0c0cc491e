import type { OpenEdxEvent } from '../core/event.js';
import { parseEventLine } from '../sources/tracking-log/line-parser.js';
import type { CaliperEvent } from '../transforms/caliper/caliper-event.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import { transformEvent, type OutputFormat, type TransformedRecord } from '../transforms/transform-event.js';
import { erbXapiLogLine } from '../transforms/xapi/erb-log-format.js';
import type { Statement } from '../transforms/xapi/statement.js';
import { createEventFilter, type EventFilter, type EventFilterSettings } from './event-filter.js';
import type { ReplaySkipReason } from './replay-skip-reason.js';
import { buildTransformContext, type ContextSettings } from './transform-flags.js';

/**
 * How records are written: JSON (what LRSs receive), or ERB's `xapi_tracking` log form (`--compat
 * erb` with xAPI to a file or stdout, as the `transform` command writes it).
 */
export type RecordEncoding = 'json' | 'erb-xapi-log';

/** Everything a worker thread needs to transform lines exactly as the main thread would. */
export interface LineTransformSettings {
  format: OutputFormat;
  context: ContextSettings;
  filter: EventFilterSettings;
  encoding: RecordEncoding;
  /** Hand each record's source event along (destinations that route on the source event). */
  withSourceEvents: boolean;
}

/** The same, with the context and filter built. In-process callers may bring their own context. */
export interface LineTransformRuntime {
  format: OutputFormat;
  ctx: TransformContext;
  filter: EventFilter;
  encoding: RecordEncoding;
  withSourceEvents: boolean;
}

/** A line that produced nothing, by its index in the unit. */
export interface UnitSkip {
  index: number;
  reason: ReplaySkipReason;
  message: string;
  name?: string;
}

/** Lines to transform: UTF-8 bytes and each line's `[start, end)` in them (LineBlock's fields). */
export interface UnitInput {
  bytes: Uint8Array;
  spans: Uint32Array;
}

/**
 * What a unit of lines came to. Plain data that crosses a worker boundary cheaply: the records
 * are one string (a few large strings cost the reading thread's garbage collector far less than
 * one small string per record).
 */
export interface UnitOutput {
  /** Encoded records (JSON text), in line order, concatenated. */
  records: string;
  /** End of each record in `records` (the next starts there). */
  recordEnds: number[];
  /** Each record's id (xAPI statement id, Caliper event id). */
  ids: string[];
  /** Each record's source event name. */
  names: string[];
  /** Each record's line, as an index into the unit's lines. */
  recordLine: number[];
  /** Each record's source event, when asked for. */
  sourceEvents?: OpenEdxEvent[];
  skips: UnitSkip[];
  /** Notes (e.g. unknown_course) by kind. */
  notes: Record<string, number>;
  /** Non-blank lines. */
  linesRead: number;
  eventsTransformed: number;
}

export function runtimeFromSettings(settings: LineTransformSettings): LineTransformRuntime {
  return {
    format: settings.format,
    ctx: buildTransformContext(settings.context),
    filter: createEventFilter(settings.filter),
    encoding: settings.encoding,
    withSourceEvents: settings.withSourceEvents,
  };
}

/** Parse, select, transform and encode a unit of lines. Never throws on bad input. */
export function transformUnit(input: UnitInput, runtime: LineTransformRuntime): UnitOutput {
  const out: UnitOutput = { records: '', recordEnds: [], ids: [], names: [], recordLine: [], skips: [], notes: {}, linesRead: 0, eventsTransformed: 0 };
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const count = input.spans.length / 2;
  const texts: string[] = [];
  if (runtime.withSourceEvents) out.sourceEvents = [];
  const encode = runtime.encoding === 'erb-xapi-log' && runtime.format === 'xapi'
    ? (record: TransformedRecord): string => erbXapiLogLine(record as Statement)
    : (record: TransformedRecord): string => JSON.stringify(record);

  for (let index = 0; index < count; index++) {
    const parsed = parseEventLine(bytes.toString('utf8', input.spans[2 * index], input.spans[2 * index + 1]));
    if (parsed.kind === 'blank') continue;
    out.linesRead += 1;
    if (parsed.kind === 'error') {
      out.skips.push(parsed.name === undefined ? { index, reason: parsed.reason, message: parsed.message } : { index, reason: parsed.reason, message: parsed.message, name: parsed.name });
      continue;
    }
    const event = parsed.event;
    const verdict = runtime.filter(event);
    if (verdict !== undefined) {
      out.skips.push({ index, reason: verdict.reason, message: verdict.message, name: event.name });
      continue;
    }
    const outcome = safeTransform(runtime, event);
    if (!outcome.ok) {
      out.skips.push({ index, reason: outcome.reason, message: outcome.message, name: event.name });
      continue;
    }
    out.eventsTransformed += 1;
    for (const note of outcome.notes) out.notes[note] = (out.notes[note] ?? 0) + 1;
    for (const record of outcome.statements) {
      texts.push(encode(record));
      out.recordEnds.push((out.recordEnds[out.recordEnds.length - 1] ?? 0) + (texts[texts.length - 1] as string).length);
      out.ids.push(String((record as Statement | CaliperEvent).id ?? ''));
      out.names.push(event.name);
      out.recordLine.push(index);
      out.sourceEvents?.push(event);
    }
  }
  out.records = texts.join('');
  return out;
}

/** A unit of the given lines (tests, callers with text in hand). */
export function unitOf(lines: readonly string[]): UnitInput {
  const parts = lines.map((line) => Buffer.from(line, 'utf8'));
  const spans = new Uint32Array(2 * lines.length);
  let at = 0;
  parts.forEach((part, i) => {
    spans[2 * i] = at;
    spans[2 * i + 1] = at + part.length;
    at += part.length;
  });
  return { bytes: Buffer.concat(parts), spans };
}

/** transformEvent promises not to throw; a bug that makes it throw costs one event, not the run. */
function safeTransform(runtime: LineTransformRuntime, event: OpenEdxEvent): ReturnType<typeof transformEvent> {
  try {
    return transformEvent(runtime.format, event, runtime.ctx);
  } catch (error) {
    return { ok: false, reason: 'transform_error', message: error instanceof Error ? error.message : String(error) };
  }
}
