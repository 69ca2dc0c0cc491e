/**
 * The Open edX tracking event as the transformers see it, after normalisation.
 * Events arrive in several shapes (live `data`/`timestamp`, tracking-log `event`/`time`);
 * `normalizeEvent` turns every shape into the one ERB's production paths produce.
 */

import type { JsonObject, JsonValue } from './json-value.js';
import { parsePythonJson } from './python-json-parse.js';

// The event module is where the rest of the code takes the JSON types from.
export type { JsonObject, JsonValue } from './json-value.js';

/** A normalised Open edX event: `name` is a string, `data` is set whenever `event` was. */
export interface OpenEdxEvent extends JsonObject {
  name: string;
}

export type NormalizeResult = { ok: true; event: OpenEdxEvent } | { ok: false; reason: 'invalid_event'; message: string };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Normalise as ERB does on every production path (live, event bus, replay):
 * when `data` is absent, `data` = `event` (JSON-decoded when it is a string; `event` is kept),
 * and `timestamp` = `time` when missing. The caller's object is not modified.
 */
export function normalizeEvent(raw: unknown): NormalizeResult {
  return normalize(raw, true);
}

/**
 * `normalizeEvent` for an object nobody else holds, such as the result of parsing one input
 * line: normalised in place instead of copied first, which is measurable at one event per line.
 */
export function normalizeParsedEvent(raw: unknown): NormalizeResult {
  return normalize(raw, false);
}

function normalize(raw: unknown, copy: boolean): NormalizeResult {
  if (!isJsonObject(raw)) {
    return { ok: false, reason: 'invalid_event', message: 'event is not a JSON object' };
  }
  const name = raw['name'];
  if (typeof name !== 'string' || name.length === 0) {
    return { ok: false, reason: 'invalid_event', message: 'event has no "name" string' };
  }
  const event: JsonObject = copy ? { ...raw } : raw;
  if (!('data' in event) && 'event' in event) {
    const payload = event['event'];
    if (typeof payload === 'string') {
      event['data'] = decodeJsonString(payload);
    } else {
      event['data'] = payload ?? null;
    }
  }
  if (!('timestamp' in event) && 'time' in event) {
    event['timestamp'] = event['time'] ?? null;
  }
  return { ok: true, event: event as OpenEdxEvent };
}

/**
 * ERB's replay does `json.loads(event)` (which takes Python's NaN and Infinity) and keeps the raw
 * string when it is not JSON.
 */
function decodeJsonString(text: string): JsonValue {
  const parsed = parsePythonJson(text);
  return parsed.ok ? parsed.value : text;
}
