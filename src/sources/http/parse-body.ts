import { isJsonObject } from '../../core/event.js';

/** One input that is not an event. `line`: the NDJSON line or the array item, counted from 1. */
export interface BodyError {
  line: number;
  reason: 'unparsable_line' | 'invalid_event';
  message: string;
}

export interface ParsedBody {
  /** How the body was read. */
  shape: 'event' | 'array' | 'ndjson';
  /** The JSON text of each event, in body order (re-parsed by the pipeline). */
  events: string[];
  errors: BodyError[];
}

/**
 * Reads a `POST /events` body: one JSON event, a JSON array of events, or NDJSON (one event per
 * line; tracking.log lines with their logger prefix are accepted too, as the CLI reads them).
 * Blank lines are ignored. An event is a JSON object with a non-empty `name` string; what else
 * it holds is the pipeline's business (unknown events are counted skips there, not errors here).
 */
export function parseIngestBody(text: string): ParsedBody {
  const start = firstNonSpace(text);
  if (start < 0) return { shape: 'ndjson', events: [], errors: [] };
  const head = text[start];
  if (head === '[') return parseArray(text);
  if (head === '{') {
    // A whole-body object (possibly pretty-printed over several lines) is one event; if the body
    // does not parse as one value it is read as NDJSON.
    const single = tryParse(text);
    if (single.ok) {
      const problem = eventProblem(single.value);
      if (problem === undefined) return { shape: 'event', events: [text.trim()], errors: [] };
      return { shape: 'event', events: [], errors: [{ line: 1, reason: 'invalid_event', message: problem }] };
    }
  }
  return parseNdjson(text);
}

function parseArray(text: string): ParsedBody {
  const parsed = tryParse(text);
  if (!parsed.ok) return { shape: 'array', events: [], errors: [{ line: 1, reason: 'unparsable_line', message: `invalid JSON: ${parsed.message}` }] };
  if (!Array.isArray(parsed.value)) {
    return { shape: 'array', events: [], errors: [{ line: 1, reason: 'unparsable_line', message: 'text after the JSON array' }] };
  }
  const events: string[] = [];
  const errors: BodyError[] = [];
  parsed.value.forEach((item: unknown, index) => {
    const problem = eventProblem(item);
    if (problem !== undefined) {
      errors.push({ line: index + 1, reason: 'invalid_event', message: problem });
      return;
    }
    // JSON.parse reads any depth, but JSON.stringify recurses: an item nested some 10,000 levels
    // deep throws RangeError. That item alone is refused; the others are stored.
    try {
      events.push(JSON.stringify(item));
    } catch (error) {
      errors.push({ line: index + 1, reason: 'invalid_event', message: `the event cannot be stored: ${(error as Error).message} (nested too deeply?)` });
    }
  });
  return { shape: 'array', events, errors };
}

function parseNdjson(text: string): ParsedBody {
  const events: string[] = [];
  const errors: BodyError[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    line += 1;
    const raw = text.slice(from, to);
    from = to + 1;
    const open = raw.indexOf('{');
    if (open < 0) {
      if (raw.trim() !== '') errors.push({ line, reason: 'unparsable_line', message: notAnObjectLine(raw) });
      continue;
    }
    const close = raw.lastIndexOf('}');
    if (close < open || raw.slice(close + 1).trim() !== '') {
      errors.push({ line, reason: 'unparsable_line', message: close < open ? 'no JSON object on the line' : 'text after the JSON object' });
      continue;
    }
    // As tracking-log lines: the JSON runs from the first `{` to the last `}` (line-parser.ts).
    const json = raw.slice(open, close + 1);
    const parsed = tryParse(json);
    if (!parsed.ok) {
      errors.push({ line, reason: 'unparsable_line', message: `invalid JSON: ${parsed.message}` });
      continue;
    }
    const problem = eventProblem(parsed.value);
    if (problem === undefined) events.push(json);
    else errors.push({ line, reason: 'invalid_event', message: problem });
  }
  return { shape: 'ndjson', events, errors };
}

/** What a line without `{` holds: other JSON said for what it is, else no JSON at all. */
function notAnObjectLine(raw: string): string {
  const parsed = tryParse(raw);
  if (!parsed.ok) return 'no JSON object on the line';
  return `the line is ${jsonKind(parsed.value)}, not an event (a JSON object with a "name")`;
}

/** "a number", "an array", … for messages. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  return typeof value === 'object' ? 'a JSON object' : `a JSON ${typeof value}`;
}

/** Why a value is not an event (the checks of normalizeEvent), or undefined. */
function eventProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return `${jsonKind(value)} is not an event (a JSON object with a "name")`;
  const name = value['name'];
  if (typeof name !== 'string' || name.length === 0) return 'event has no "name" string';
  return undefined;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // space, tab, CR, LF, BOM
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return i;
  }
  return -1;
}
