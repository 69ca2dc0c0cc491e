import { NAMESPACE_DNS, uuid5, uuid5Text, uuidBytes } from '../shared/uuid5.js';

/**
 * Deterministic Caliper event ids (ERB uses random uuid4 ids, so an endpoint cannot tell a
 * re-sent event from a new one). The recipe, also in docs/caliper.md:
 *
 *   namespace = uuid5(NAMESPACE_DNS, "caliper-event-id.edx-event-router")
 *   name      = event name + "\n" + actor id + "\n" + instant + "\n" + canonical JSON of the event's
 *               `data` + "\n" + canonical JSON of the content
 *   id        = "urn:uuid:" + uuid5(namespace, name)
 *
 * - instant: the event timestamp as a UTC instant with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
 *   so `+00:00`, `Z` and a space separator (the paths render the same instant differently) agree;
 * - data: the source event's `data` (after normalisation: replay's decoded `event`), `null` when
 *   absent; two events whose Caliper content is the same but whose payloads differ (e.g. two
 *   grade events differing only in fields Caliper does not carry) still get different ids;
 * - content: the Caliper event in ERB's form (before the default-mode fixes such as `WebPage`),
 *   without `id` and without `extensions.transformerVersion`, so neither the compat mode nor an
 *   upgrade of this program changes the id of an event;
 * - canonical JSON: object keys sorted (code-unit order) at every level, arrays kept in order,
 *   no whitespace, JSON.stringify escaping.
 */
export const CALIPER_ID_NAMESPACE = uuid5(NAMESPACE_DNS, 'caliper-event-id.edx-event-router');
const CALIPER_ID_NAMESPACE_BYTES = uuidBytes(CALIPER_ID_NAMESPACE);

export interface EventIdParts {
  eventName: string;
  actorId: string;
  /** UTC instant with microseconds, e.g. `2020-07-15T06:36:01.917775Z`. */
  instant: string;
  /** The source event's `data` payload. */
  data: unknown;
  /** The Caliper event without `id` and without the transformer version. */
  content: Record<string, unknown>;
}

export function caliperEventId(parts: EventIdParts): string {
  const name = [
    parts.eventName,
    parts.actorId,
    parts.instant,
    canonicalJson(parts.data),
    canonicalJson(parts.content),
  ].join('\n');
  return `urn:uuid:${uuid5Text(CALIPER_ID_NAMESPACE_BYTES, name)}`;
}

/**
 * JSON with object keys sorted at every level; undefined members are left out. Written as plain
 * loops with the leaves rendered directly, because it runs over every event's data and content:
 * `sort()` without a comparator orders strings by UTF-16 code units, the recipe's order, without
 * a call back into JS per comparison; the leaves are spelled exactly as JSON.stringify spells
 * them, without a trip through it for each one.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, functions and symbols read as null here; bigints throw, as in JSON.stringify.
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const members = value as Record<string, unknown>;
  let out = '{';
  let separator = '';
  for (const key of Object.keys(members).sort()) {
    const item = members[key];
    if (item === undefined) continue;
    out += separator + jsonString(key) + ':' + canonicalJson(item);
    separator = ',';
  }
  return out + '}';
}

// What JSON.stringify escapes in a string: quote, backslash, control characters, and (lone)
// surrogates; a string with none of them is written as it is, between quotes.
// eslint-disable-next-line no-control-regex
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it. */
function jsonString(text: string): string {
  return NEEDS_JSON_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}
