import type { JsonValue } from '../../core/event.js';

/**
 * Python's `repr()` and `str()` of JSON-decoded values, for the places where ERB lets Python
 * turn a value into text (tincan's `Result.response` is `str(value)`, so a dict answer becomes
 * `{'key': ['a', 'b']}`; URL parts are f-string interpolations).
 *
 * JSON decoding in JS loses two things Python keeps, so a few renderings are best guesses:
 * `1.0` arrives as `1` and prints as an int; integer-like object keys come first in JS objects.
 */

/** `repr(value)`: strings quoted, `None`/`True`/`False`, dicts and lists with ", " and ": ". */
export function pythonRepr(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'string') return pythonStringRepr(value);
  if (typeof value === 'number') return pythonNumberRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return '[' + value.map((item) => pythonRepr(item)).join(', ') + ']';
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) parts.push(`${pythonStringRepr(key)}: ${pythonRepr(item)}`);
  return '{' + parts.join(', ') + '}';
}

/** `str(value)`: a string is itself, anything else is its repr. */
export function pythonStr(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** A number as Python prints it: safe integers as ints (JSON `1.0` cannot be told apart), else as floats. */
export function pythonNumberRepr(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  return pythonFloatRepr(value);
}

/**
 * `repr(float)`: shortest round-trip digits (as JS), fixed notation for decimal exponents
 * -4..15 (always with a fraction, `2.0`), otherwise `d.ddde±XX`.
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip.
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = exponent + 1;
    if (digits.length <= whole) return `${sign}${digits}${'0'.repeat(whole - digits.length)}.0`;
    return `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponentPart = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${head}e${exponentPart}`;
}

// Python's str.isprintable() is false for these categories (the space is the one exception).
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/**
 * `repr(str)`: single quotes unless the text has a `'` and no `"`; backslash, the quote, \t \n \r
 * escaped; other unprintable characters as \xhh, \uhhhh or \Uhhhhhhhh; printable non-ASCII kept.
 */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  // for…of walks code points; a lone surrogate comes through on its own (and is category Cs).
  for (const ch of text) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0) as number);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(code: number): string {
  if (code < 0x100) return '\\x' + code.toString(16).padStart(2, '0');
  if (code < 0x10000) return '\\u' + code.toString(16).padStart(4, '0');
  return '\\U' + code.toString(16).padStart(8, '0');
}
