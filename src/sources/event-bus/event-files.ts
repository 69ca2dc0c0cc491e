import { readFile, stat } from 'node:fs/promises';
import { normalizeEvent, type OpenEdxEvent } from '../../core/event.js';
import { parsePythonJson } from '../../core/python-json-parse.js';
import { parseEventLine } from '../tracking-log/line-parser.js';
import { readPythonJson, type PythonJsonValue } from './python-json-value.js';
import { isGzipFile, openTextFile, readLines } from '../tracking-log/line-reader.js';

/** One item read from an event file: an event, or why a line/element is not one. */
export type EventFileItem =
  /** `source`: the same event as Python's json.loads reads its text, for the publisher. */
  { kind: 'event'; event: OpenEdxEvent; where: string; source: PythonJsonValue | undefined } | { kind: 'error'; where: string; message: string };

/**
 * Events from a file of any shape the publisher accepts: a JSON array of events, one
 * (pretty-printed) JSON event, or NDJSON / tracking.log lines (gzip read transparently).
 */
export async function* readEventFile(path: string): AsyncGenerator<EventFileItem> {
  const whole = await readWholeJson(path);
  if (whole !== undefined) {
    const items = Array.isArray(whole.value) ? whole.value : [whole.value];
    const sources = Array.isArray(whole.source) ? whole.source : [whole.source];
    for (let i = 0; i < items.length; i++) {
      const where = Array.isArray(whole.value) ? `${path}[${i}]` : path;
      const normalized = normalizeEvent(items[i]);
      yield normalized.ok ? { kind: 'event', event: normalized.event, where, source: sources[i] } : { kind: 'error', where, message: normalized.message };
    }
    return;
  }
  for await (const { line, lineNumber } of readLines(await openTextFile(path))) {
    const parsed = parseEventLine(line);
    const where = `${path}:${lineNumber}`;
    if (parsed.kind === 'event') {
      // The same JSON part parseEventLine read: from the first `{` to the last `}`.
      const source = readPythonJson(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1));
      yield { kind: 'event', event: parsed.event, where, source: source.ok ? source.value : undefined };
    } else if (parsed.kind === 'error') yield { kind: 'error', where, message: parsed.message };
  }
}

const WHOLE_JSON_MAX_BYTES = 16 * 1024 * 1024;

// Small plain files that parse as one JSON document (array or object); undefined otherwise,
// which sends NDJSON and logs (and anything large or gzipped) down the line-by-line path.
async function readWholeJson(path: string): Promise<{ value: unknown; source: PythonJsonValue } | undefined> {
  if ((await stat(path)).size > WHOLE_JSON_MAX_BYTES || (await isGzipFile(path))) return undefined;
  const text = await readFile(path, 'utf8');
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return undefined;
  const parsed = parsePythonJson(trimmed);
  const source = readPythonJson(trimmed);
  return parsed.ok && source.ok ? { value: parsed.value, source: source.value } : undefined;
}
