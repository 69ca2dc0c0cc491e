import { normalizeParsedEvent, type OpenEdxEvent } from '../../core/event.js';
import { parsePythonJson } from '../../core/python-json-parse.js';

/** One input line: an event, or why it is not one. Blank lines are neither and are not counted. */
export type ParsedLine =
  { kind: 'event'; event: OpenEdxEvent } | { kind: 'blank' } | { kind: 'error'; reason: 'unparsable_line' | 'invalid_event'; message: string; name?: string };

/**
 * Parse a line that is a JSON event, or a raw tracking.log line with a logger prefix before the
 * JSON (`2023-05-23 13:53:13,461 INFO 20 [tracking] … - {…}`). As ERB's parser, the JSON runs
 * from the first `{` to the last `}`. Unlike ERB, a blank line is skipped rather than glued to the
 * next one, and the live shape (`data`) is accepted as well as the log shape (`event`).
 */
export function parseEventLine(line: string): ParsedLine {
  const start = line.indexOf('{');
  if (start < 0) {
    return line.trim() === '' ? { kind: 'blank' } : { kind: 'error', reason: 'unparsable_line', message: 'no JSON object on the line' };
  }
  const end = line.lastIndexOf('}');
  if (end < start) return { kind: 'error', reason: 'unparsable_line', message: 'no JSON object on the line' };
  if (line.slice(end + 1).trim() !== '') {
    return { kind: 'error', reason: 'unparsable_line', message: 'text after the JSON object' };
  }
  let raw: unknown;
  // Most lines are the JSON alone: parsing the line itself spares a slice (about 4 % of a parse).
  const text = start === 0 && end === line.length - 1 ? line : line.slice(start, end + 1);
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // edx-platform writes lines with Python's json.dumps, which spells non-finite floats NaN,
    // Infinity and -Infinity; only a line that plain JSON refuses takes that slower path.
    const python = parsePythonJson(text, (error as Error).message);
    if (!python.ok) return { kind: 'error', reason: 'unparsable_line', message: `invalid JSON: ${python.message}` };
    raw = python.value;
  }
  // The parsed object is ours alone, so it is normalised in place.
  const normalized = normalizeParsedEvent(raw);
  if (!normalized.ok) {
    const name = typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : undefined;
    return name === undefined
      ? { kind: 'error', reason: normalized.reason, message: normalized.message }
      : { kind: 'error', reason: normalized.reason, message: normalized.message, name };
  }
  return { kind: 'event', event: normalized.event };
}
