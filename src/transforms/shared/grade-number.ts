import type { JsonValue } from '../../core/event.js';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A grade-like value as a number: numbers as they are, booleans as Python ints, numeric text as
 * Python's `float()` reads it (tincan coerces score parts with `float()`). Anything else is
 * undefined: ERB fails the whole event on such values; we leave the score part out instead.
 * Shared by xAPI's score and Caliper's default-mode Score, so both read a grade alike.
 */
export function numberValue(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return undefined;
}
