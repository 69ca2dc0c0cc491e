import { Utf8Writer } from '../shared/utf8-writer.js';
import { NAMESPACE_DNS, uuid5, uuid5OfMessage, uuidBytes } from '../shared/uuid5.js';

/**
 * Deterministic Caliper event ids (ERB uses random uuid4 ids, so an endpoint cannot tell a
 * re-sent event from a new one). The recipe, also in docs/caliper.md:
 *
 *   namespace = uuid5(NAMESPACE_DNS, "caliper-event-id.edx-event-router")
 *   name      = event name + "\n" + actor id + "\n" + instant + "\n" + canonical JSON of the event's
 *               `data` + "\n" + course id + "\n" + session id + "\n" + referer
 *   id        = "urn:uuid:" + uuid5(namespace, name)
 *
 * - instant: the event timestamp as a UTC instant with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
 *   so `+00:00`, `Z` and a space separator (the paths render the same instant differently) agree;
 * - data: the source event's `data` (after normalisation: replay's decoded `event`), `null` when
 *   absent; two events whose Caliper output is the same but whose payloads differ (e.g. two
 *   grade events differing only in fields Caliper does not carry) still get different ids;
 * - course id (`context.course_id`), session id and referer (`context.referer`): the other source
 *   fields a Caliper event is built from, as text, empty when absent;
 * - canonical JSON: object keys sorted (code-unit order) at every level, arrays kept in order,
 *   no whitespace, JSON.stringify escaping.
 *
 * Only the source event is hashed, never our output: a course renamed in the LMS, other lookups,
 * the compat mode or a fix in a later version of a transformer must not give a replayed event a
 * new id (the endpoint would store it twice).
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
  /** `context.course_id`, the session id and `context.referer` as text; undefined when absent. */
  courseId: string | undefined;
  sessionId: string | undefined;
  referer: string | undefined;
}

const NEWLINE = 0x0a;

/**
 * The id of the event the parts describe. The name is written straight into the bytes that are
 * hashed, in `out`: the caller's scratch space (a transform context's, see TransformCaches),
 * overwritten by the next id.
 */
export function caliperEventId(parts: EventIdParts, out: Utf8Writer): string {
  out.reset();
  out.bytes(CALIPER_ID_NAMESPACE_BYTES);
  out.text(parts.eventName);
  out.byte(NEWLINE);
  out.text(parts.actorId);
  out.byte(NEWLINE);
  out.text(parts.instant);
  out.byte(NEWLINE);
  writeCanonicalJson(out, parts.data);
  writeLine(out, parts.courseId);
  writeLine(out, parts.sessionId);
  writeLine(out, parts.referer);
  return `urn:uuid:${uuid5OfMessage(out.written())}`;
}

/** A newline, then the text (nothing when absent). */
function writeLine(out: Utf8Writer, text: string | undefined): void {
  out.byte(NEWLINE);
  if (text !== undefined) out.text(text);
}

/** The canonical JSON of a value as text (the recipe's form; ids write it as bytes directly). */
export function canonicalJson(value: unknown): string {
  const out = new Utf8Writer();
  writeCanonicalJson(out, value);
  return out.written().toString('utf8');
}

/**
 * Canonical JSON, as UTF-8: object keys sorted at every level; undefined members left out;
 * strings, numbers and literals spelled as JSON.stringify spells them.
 */
function writeCanonicalJson(out: Utf8Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      out.jsonString(value);
      return;
    case 'number':
      out.text(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.text(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      // undefined, functions and symbols read as null here; bigints throw, as in JSON.stringify.
      out.text(JSON.stringify(value) ?? 'null');
      return;
  }
  if (value === null) {
    out.text('null');
    return;
  }
  if (Array.isArray(value)) {
    out.byte(OPEN_ARRAY);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.byte(COMMA);
      writeCanonicalJson(out, value[i]);
    }
    out.byte(CLOSE_ARRAY);
    return;
  }
  const members = value as Record<string, unknown>;
  out.byte(OPEN_OBJECT);
  let first = true;
  for (const key of sortedKeys(members)) {
    const item = members[key];
    if (item === undefined) continue;
    if (!first) out.byte(COMMA);
    first = false;
    out.jsonString(key);
    out.byte(COLON);
    writeCanonicalJson(out, item);
  }
  out.byte(CLOSE_OBJECT);
}

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * An object's keys in UTF-16 code-unit order (the order of `sort()` without a comparator).
 * Sorted in place by insertion: objects here have a handful of keys, for which Array#sort's
 * set-up and scratch copies cost more than the sorting itself.
 */
function sortedKeys(members: object): string[] {
  const keys = Object.keys(members);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}
