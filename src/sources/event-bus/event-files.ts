import { readFile, stat } from 'node:fs/promises';
import { normalizeEvent, type OpenEdxEvent } from '../../core/event.js';
import { parseEventLine } from '../tracking-log/line-parser.js';
import { isGzipFile, openTextFile, readLines } from '../tracking-log/line-reader.js';

/** One item read from an event file: an event, or why a line/element is not one. */
export type EventFileItem =
  | { kind: 'event'; event: OpenEdxEvent; where: string }
  | { kind: 'error'; where: string; message: string };

/**
 * Events from a file of any shape the publisher accepts: a JSON array of events, one
 * (pretty-printed) JSON event, or NDJSON / tracking.log lines (gzip read transparently).
 */
export async function* readEventFile(path: string): AsyncGenerator<EventFileItem> {
  const whole = await readWholeJson(path);
  if (whole !== undefined) {
    const items = Array.isArray(whole) ? whole : [whole];
    for (let i = 0; i < items.length; i++) {
      const where = Array.isArray(whole) ? `${path}[${i}]` : path;
      const normalized = normalizeEvent(items[i]);
      yield normalized.ok ? { kind: 'event', event: normalized.event, where } : { kind: 'error', where, message: normalized.message };
    }
    return;
  }
  for await (const { line, lineNumber } of readLines(await openTextFile(path))) {
    const parsed = parseEventLine(line);
    const where = `${path}:${lineNumber}`;
    if (parsed.kind === 'event') yield { kind: 'event', event: parsed.event, where };
    else if (parsed.kind === 'error') yield { kind: 'error', where, message: parsed.message };
  }
}

const WHOLE_JSON_MAX_BYTES = 16 * 1024 * 1024;

// Small plain files that parse as one JSON document (array or object); undefined otherwise,
// which sends NDJSON and logs (and anything large or gzipped) down the line-by-line path.
async function readWholeJson(path: string): Promise<unknown> {
  if ((await stat(path)).size > WHOLE_JSON_MAX_BYTES || (await isGzipFile(path))) return undefined;
  const text = await readFile(path, 'utf8');
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
