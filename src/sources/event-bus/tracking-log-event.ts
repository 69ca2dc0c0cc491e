import { isJsonObject, normalizeEvent, type JsonValue, type OpenEdxEvent } from '../../core/event.js';
import { pythonJsonDumps } from '../../transforms/shared/python-json.js';
import { parseTimestamp, pythonIsoformat } from '../../transforms/shared/timestamps.js';
import type { DecodeOutcome } from './poison.js';
import { parsePythonJson } from './python-json-parse.js';
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
 * rendered by Python's `json.dumps`, the timestamp as `datetime.isoformat()` text (an unparsable
 * timestamp is sent unchanged; a missing one becomes `now`).
 */
export function eventToTrackingLog(event: OpenEdxEvent, now: Date = new Date()): TrackingLogData {
  const rawTimestamp = event['timestamp'];
  let timestamp: string;
  if (typeof rawTimestamp === 'string') {
    const parsed = parseTimestamp(rawTimestamp);
    timestamp = parsed ? pythonIsoformat(parsed) : rawTimestamp;
  } else {
    timestamp = pythonIsoformatUtc(now);
  }
  const data: JsonValue = event['data'] ?? {};
  const context: JsonValue = isJsonObject(event['context']) ? event['context'] : {};
  return { name: event.name, timestamp, data: pythonJsonDumps(data), context: pythonJsonDumps(context) };
}

/** Python `datetime.now(timezone.utc).isoformat()` (millisecond clock; no fraction when zero). */
export function pythonIsoformatUtc(now: Date): string {
  const iso = now.toISOString(); // 2024-05-01T12:34:56.123Z
  const ms = now.getUTCMilliseconds();
  const base = iso.slice(0, 19);
  return ms === 0 ? `${base}+00:00` : `${base}.${String(ms * 1000).padStart(6, '0')}+00:00`;
}
