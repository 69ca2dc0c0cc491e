import { normalizeEvent, type OpenEdxEvent } from '../../core/event.js';
import { pythonJsonDumps } from '../../transforms/shared/python-json.js';
import { parseTimestamp, pythonIsoformat } from '../../transforms/shared/timestamps.js';
import type { DecodeOutcome } from './poison.js';
import { parsePythonJson } from '../../core/python-json-parse.js';
import { fromJsonValue, PythonDict, readPythonJson, type PythonJsonValue } from './python-json-value.js';
import type { TrackingLogData } from './tracking-log-schema.js';

/**
 * The Open edX event rebuilt from a bus payload, as event-tracking's `send_tracking_log_to_backends`
 * does: `{name, timestamp, data: json.loads(data), context: json.loads(context)}`, then normalised.
 * The timestamp text is kept exactly as sent, since statement ids hash it.
 */
export function trackingLogToEvent(log: TrackingLogData): DecodeOutcome<OpenEdxEvent> {
  const data = parsePythonJson(log.data);
  if (!data.ok) return { ok: false, reason: 'invalid_json', message: `data: ${data.message}` };
  const context = parsePythonJson(log.context);
  if (!context.ok) return { ok: false, reason: 'invalid_json', message: `context: ${context.message}` };
  const normalized = normalizeEvent({ name: log.name, timestamp: log.timestamp, data: data.value, context: context.value });
  if (!normalized.ok) return { ok: false, reason: 'invalid_event', message: normalized.message };
  return { ok: true, value: normalized.event };
}

/**
 * The payload edx-platform's `EventBusRoutingBackend.send` builds from an event: data and context
 * rendered by Python's `json.dumps` (`null` when absent), the timestamp as `datetime.isoformat()`
 * text (an unparsable timestamp is sent unchanged; a missing one becomes `now`).
 *
 * `source` is the same event as Python's `json.loads` reads its text (`readPythonJson`): given,
 * data and context are written from it byte for byte as the producer would (`1.0`, `1e-07`, key
 * order, big integers); without it, the parsed event is written. Either way a tracking-log line
 * is first mapped back to the event the LMS emitted (`lmsEventOf`).
 */
export function eventToTrackingLog(event: OpenEdxEvent, now: Date = new Date(), source?: PythonJsonValue): TrackingLogData {
  const rawTimestamp = event['timestamp'];
  let timestamp: string;
  if (typeof rawTimestamp === 'string') {
    const parsed = parseTimestamp(rawTimestamp);
    timestamp = parsed ? pythonIsoformat(parsed) : rawTimestamp;
  } else {
    timestamp = pythonIsoformatUtc(now);
  }
  const emitted = lmsEventOf(source instanceof PythonDict ? source : (fromJsonValue(event) as PythonDict));
  return { name: event.name, timestamp, data: pythonJsonDumps(emitted.data), context: pythonJsonDumps(emitted.context) };
}

/**
 * Fields edx-platform's `LegacyFieldMappingProcessor` (track/shim.py) moves from the context to
 * the top level of a tracking-log line, in its order; `client_id` it drops for good.
 */
const SHIM_CONTEXT_FIELDS = ['username', 'session', 'ip', 'agent', 'host', 'referer', 'accept_language'];

/**
 * The data and context the LMS emitted (and sent to the bus, where no processor runs) for an
 * event given as a tracking-log line or in the live shape. What the shim moved to the top level
 * goes back into the context, after the members it kept: its fields, `event_source`, `page`
 * (unless null) and an `event_type` other than the name. The data is `data`, else the line's
 * `event`; a browser event's `event` text, which the shim wrote with `json.dumps`, is read back.
 */
export function lmsEventOf(source: PythonDict): { data: PythonJsonValue; context: PythonJsonValue } {
  const kept = source.get('context');
  const context = new PythonDict();
  if (kept instanceof PythonDict) for (const [key, value] of kept.entries) context.set(key, value);
  let restored = false;
  const restore = (key: string, value: PythonJsonValue | undefined): void => {
    if (value === undefined || context.has(key)) return;
    context.set(key, value);
    restored = true;
  };
  for (const field of SHIM_CONTEXT_FIELDS) restore(field, source.get(field));
  const eventSource = source.get('event_source');
  restore('event_source', eventSource);
  const page = source.get('page');
  if (page !== null) restore('page', page);
  const eventType = source.get('event_type');
  if (eventType !== source.get('name')) restore('event_type', eventType);

  let data: PythonJsonValue = null;
  if (source.has('data')) data = source.get('data') ?? null;
  else if (source.has('event')) {
    data = source.get('event') ?? null;
    if (typeof data === 'string' && eventSource !== 'server') {
      const read = readPythonJson(data);
      if (read.ok && read.value instanceof PythonDict) data = read.value;
    }
  }
  return { data, context: kept instanceof PythonDict || restored ? context : (kept ?? null) };
}

/**
 * Python `datetime.now(timezone.utc).isoformat()` (no fraction when zero), from a Date
 * (millisecond clock) or from microseconds since the epoch (`epochMicrosNow`).
 */
export function pythonIsoformatUtc(now: Date | number): string {
  const micros = typeof now === 'number' ? now : now.getTime() * 1000;
  const millis = Math.floor(micros / 1000);
  const base = new Date(millis).toISOString().slice(0, 19); // 2024-05-01T12:34:56
  const fraction = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, '0')}+00:00`;
}

/** Microseconds since the epoch from the high-resolution clock: Python's clock has them, Date has not. */
export function epochMicrosNow(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
