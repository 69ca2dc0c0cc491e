import { isJsonObject, type JsonObject, type JsonValue, type OpenEdxEvent } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';

/**
 * Read access to an event with ERB's `get_data` semantics, which every transformer relies on:
 * - a dotted key is a strict path (`context.course_id`); any miss gives undefined;
 * - a plain key is a depth-first search: the top level wins when it has the key (even with a
 *   null value); nested dicts are searched in insertion order and the first non-null hit wins;
 * - empty values ("", [], {}, null) read as undefined; 0 and false are kept.
 */
export class EventView {
  // Transformers read the same keys several times (course id, session, user); plain-key reads
  // search the whole event, so each plain key is looked up once per event. Dotted keys are a
  // few member reads, cheaper to repeat than to remember. Keys and values alternate here: an
  // event has a handful of such keys, fewer than make a Map pay.
  private searched: (JsonValue | undefined)[] | undefined;

  constructor(readonly event: OpenEdxEvent) {}

  get name(): string {
    return this.event.name;
  }

  /** ERB `get_data(key)`. */
  get(key: string): JsonValue | undefined {
    const parts = pathParts(key);
    if (parts !== undefined) return nonEmpty(lookupParts(this.event, parts));
    // The top level wins; the search below it is what is worth remembering.
    const top = ownMember(this.event, key);
    if (top !== undefined) return nonEmpty(top);
    const searched = (this.searched ??= []);
    for (let i = 0; i < searched.length; i += 2) if (searched[i] === key) return searched[i + 1];
    const value = nonEmpty(findNested(this.event, key));
    searched.push(key, value);
    return value;
  }

  /** ERB `get_data(key, required=True)`: a missing value skips the event. */
  require(key: string): JsonValue {
    const value = this.get(key);
    if (value === undefined) {
      throw new SkipEventError('missing_field', `Could not get value for ${key} in event "${this.name}"`);
    }
    return value;
  }

  /** A value read as text, or undefined; numbers are rendered as Python's str() would for ints. */
  string(key: string): string | undefined {
    return asText(this.get(key));
  }

  /** A required value read as text. */
  requireString(key: string): string {
    const text = asText(this.require(key));
    if (text === undefined) {
      throw new SkipEventError('invalid_value', `Value of ${key} in event "${this.name}" is not text`);
    }
    return text;
  }
}

/** Python truthiness as ERB applies it: falsy except 0 / 0.0 / False. */
export function isEmpty(value: JsonValue | undefined): value is undefined | null | '' {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return !hasOwnMembers(value);
  return false;
}

function nonEmpty(value: JsonValue | undefined): JsonValue | undefined {
  return isEmpty(value) ? undefined : value;
}

/** Whether an object has an own enumerable member; unlike Object.keys, allocates nothing. */
export function hasOwnMembers(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

/** Text for a scalar; objects and arrays have no text form here. */
export function asText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return undefined;
}

/** ERB `get_value_from_dotted_path`: exact keys, no list indexing. */
export function dottedLookup(source: JsonValue | undefined, path: string): JsonValue | undefined {
  return lookupParts(source, pathParts(path) ?? [path]);
}

function lookupParts(source: JsonValue | undefined, parts: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = source;
  for (let i = 0; i < parts.length; i++) {
    if (!isJsonObject(current)) return undefined;
    current = ownMember(current, parts[i] as string);
  }
  return current;
}

/**
 * `object[key]` when it is the object's own member, else undefined. A member read alone would
 * also find what a JSON object inherits: functions, and `__proto__`; only then is ownership
 * asked, which spares the check on the reads that find a value, nearly all of them.
 */
function ownMember(object: JsonObject, key: string): JsonValue | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if ((typeof value === 'function' || key === '__proto__') && !Object.hasOwn(object, key)) return undefined;
  return value;
}

// Keys are written in the transformers' code (a few dozen of them) and read for every event, so
// each is split once; null marks a plain key. Bounded all the same, in case a caller passes
// arbitrary keys. The one cache of the transformers kept at module level, not in
// TransformCaches: its value is the split of its key and nothing else (no setting, no event
// data), so every context may share it, and EventView is built outside transforms too
// (identity's event needs, plugins) where there is no context to hold it.
const PATH_PARTS = new Map<string, readonly string[] | null>();
const MAX_CACHED_PATHS = 1000;

/** The parts of a dotted key, or undefined for a plain one. */
function pathParts(key: string): readonly string[] | undefined {
  let parts = PATH_PARTS.get(key);
  if (parts === undefined) {
    parts = key.includes('.') ? key.split('.') : null;
    if (PATH_PARTS.size < MAX_CACHED_PATHS) PATH_PARTS.set(key, parts);
  }
  return parts ?? undefined;
}

function findNested(source: Record<string, JsonValue>, key: string): JsonValue | undefined {
  if (Object.hasOwn(source, key)) return source[key];
  // for…in with an own-member check visits what Object.values would, without building an array
  // for every object searched; most events are searched whole (`session` is rarely top-level).
  for (const member in source) {
    const value = source[member];
    // Ownership is asked only of the objects searched, not of every member passed over.
    if (isJsonObject(value) && Object.hasOwn(source, member)) {
      const found = findNested(value, key);
      if (found !== undefined && found !== null) return found;
    }
  }
  return undefined;
}
