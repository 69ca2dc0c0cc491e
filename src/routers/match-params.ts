import type { JsonObject, JsonValue } from '../core/event.js';
import { compilePythonRegex, type CompiledRegex } from '../filters/python-regex.js';
import type { FieldError } from './types.js';
import { topLevelKeyWarning } from './top-level-keys.js';

/**
 * ERB's `match_params` (models.py `_match_event_for_host`, erb-reference.md §3.3), compiled
 * once when a router is saved or loaded:
 * - every key must match (AND); a key is a dotted path of exact dict keys from the event root,
 *   with no list indexing; an absent path or a non-string value never matches;
 * - a list value matches if any item matches (OR); an empty list never matches;
 * - a pattern is a Python regex searched anywhere in the value (unanchored `re.search`);
 *   a pattern that is not a string (number, true, null, object) never matches.
 */
export interface CompiledMatchParams {
  readonly conditions: readonly MatchCondition[];
}

interface MatchCondition {
  readonly path: readonly string[];
  /** null: a non-string pattern, which ERB never matches. */
  readonly patterns: readonly (CompiledRegex | null)[];
}

export type MatchParamsOutcome = { ok: true; compiled: CompiledMatchParams; warnings: string[] } | { ok: false; errors: FieldError[] };

/** Matches every event: no `configurations`, or no / empty `match_params`. */
export const MATCH_ALL: CompiledMatchParams = Object.freeze({ conditions: Object.freeze([]) });

/** Compile `match_params`; `field` names it in messages (e.g. `configurations.match_params`). */
export function compileMatchParams(value: JsonValue | undefined, field = 'match_params'): MatchParamsOutcome {
  if (value === undefined) return { ok: true, compiled: MATCH_ALL, warnings: [] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: [{ field, message: 'must be an object of dotted event keys to patterns' }] };
  }
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const conditions: MatchCondition[] = [];
  for (const [key, spec] of Object.entries(value)) {
    const keyField = `${field}.${key}`;
    const items = Array.isArray(spec) ? spec : [spec];
    const patterns: (CompiledRegex | null)[] = [];
    items.forEach((item, index) => {
      const itemField = Array.isArray(spec) ? `${keyField}[${index}]` : keyField;
      if (typeof item !== 'string') {
        warnings.push(`${itemField}: ${JSON.stringify(item)} is not a string, so it never matches (as in ERB)`);
        patterns.push(null);
        return;
      }
      const outcome = compilePythonRegex(item);
      if (outcome.ok) patterns.push(outcome.regex);
      else errors.push({ field: itemField, message: outcome.message });
    });
    if (Array.isArray(spec) && spec.length === 0) {
      warnings.push(`${keyField}: an empty list never matches, so this router receives no events (as in ERB)`);
    }
    const keyWarning = topLevelKeyWarning(key);
    if (keyWarning !== undefined) warnings.push(`${keyField}: ${keyWarning}`);
    conditions.push({ path: key.split('.'), patterns });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, compiled: { conditions }, warnings };
}

/** Does the original (untransformed) event pass these `match_params`? */
export function matchEvent(compiled: CompiledMatchParams, event: JsonObject): boolean {
  for (const condition of compiled.conditions) {
    const value = valueAtDottedPath(event, condition.path);
    if (typeof value !== 'string') return false;
    if (!condition.patterns.some((regex) => regex !== null && regex.test(value))) return false;
  }
  return true;
}

/**
 * ERB's `get_value_from_dotted_path`: each part is an exact key of an object; a part applied
 * to anything else (a list, a string, null) gives undefined, like Python's KeyError/TypeError.
 */
export function valueAtDottedPath(event: JsonValue, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = event;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, part)) {
      return undefined;
    }
    current = current[part];
  }
  return current;
}
