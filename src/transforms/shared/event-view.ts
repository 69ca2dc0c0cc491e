import type { JsonValue, OpenEdxEvent } from '../../core/event.js';
import { isJsonObject } from '../../core/event.js';
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
  // search the whole event, so each key is looked up once per event.
  private readonly memo = new Map<string, JsonValue | undefined>();

  constructor(readonly event: OpenEdxEvent) {}

  get name(): string {
    return this.event.name;
  }

  /** ERB `get_data(key)`. */
  get(key: string): JsonValue | undefined {
    if (this.memo.has(key)) return this.memo.get(key);
    const raw = key.includes('.') ? dottedLookup(this.event, key) : findNested(this.event, key);
    const value = isEmpty(raw) ? undefined : raw;
    this.memo.set(key, value);
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
  if (typeof value === 'object') return Object.keys(value).length === 0;
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
  let current: JsonValue | undefined = source;
  for (const part of path.split('.')) {
    if (!isJsonObject(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

function findNested(source: Record<string, JsonValue>, key: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(source, key)) return source[key];
  for (const value of Object.values(source)) {
    if (isJsonObject(value)) {
      const found = findNested(value, key);
      if (found !== undefined && found !== null) return found;
    }
  }
  return undefined;
}
