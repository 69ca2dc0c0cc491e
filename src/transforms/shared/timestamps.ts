/**
 * Timestamps. Open edX writes ISO 8601 text (`2020-07-15T06:36:01.917775+00:00`), but real logs
 * also hold `Z`, fewer fraction digits, a space instead of `T`, and naive values.
 */

export interface ParsedTimestamp {
  /** Date and time fields as written (no zone conversion). */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Microseconds (fraction digits beyond six are truncated, as Python's datetime holds µs). */
  micro: number;
  /** Offset from UTC in minutes, or undefined for a naive timestamp. */
  offsetMinutes: number | undefined;
}

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Whether a text has Open edX's own spelling, Python's isoformat of a UTC datetime with
 * microseconds (`2020-07-15T06:36:01.917775+00:00`), or the same with `Z`:
 * `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(?:Z|[+-]\d{2}:\d{2})$`. Nearly every event has it,
 * and its fields are then read by position, without the captures of ISO_PATTERN. Written out
 * rather than as that regular expression, which cost more per event than reading the fields.
 */
export function isOpenEdxForm(text: string): boolean {
  const length = text.length;
  if (length !== 27 && length !== 32) return false;
  for (let i = 0; i < 26; i++) {
    const code = text.charCodeAt(i);
    const expected = FORM_UP_TO_ZONE.charCodeAt(i);
    if (expected === DIGIT ? code < ZERO || code > NINE : code !== expected) return false;
  }
  const zone = text.charCodeAt(26);
  if (length === 27) return zone === Z;
  if (zone !== PLUS && zone !== MINUS) return false;
  return isDigit(text, 27) && isDigit(text, 28) && text.charCodeAt(29) === COLON && isDigit(text, 30) && isDigit(text, 31);
}

// That form up to the zone, `d` standing for a digit.
const FORM_UP_TO_ZONE = 'dddd-dd-ddTdd:dd:dd.dddddd';
const DIGIT = 0x64;

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= ZERO && code <= NINE;
}

/** Parse ISO 8601 / RFC 3339-like text; undefined when it is not a date-time. */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  if (isOpenEdxForm(text)) return validOrUndefined(openEdxFormFields(text));
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const parsed: ParsedTimestamp = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    micro: frac === undefined ? 0 : Number(frac.slice(0, 6).padEnd(6, '0')),
    offsetMinutes: zoneOffset(zone),
  };
  return validOrUndefined(parsed);
}

function validOrUndefined(parsed: ParsedTimestamp): ParsedTimestamp | undefined {
  return isValidDateTime(parsed) ? parsed : undefined;
}

/** The fields of a text in Open edX's own spelling. */
function openEdxFormFields(text: string): ParsedTimestamp {
  const zone = text.charCodeAt(26);
  const offsetMinutes = zone === Z ? 0 : (zone === MINUS ? -1 : 1) * (digitsAt(text, 27, 2) * 60 + digitsAt(text, 30, 2));
  return {
    year: digitsAt(text, 0, 4),
    month: digitsAt(text, 5, 2),
    day: digitsAt(text, 8, 2),
    hour: digitsAt(text, 11, 2),
    minute: digitsAt(text, 14, 2),
    second: digitsAt(text, 17, 2),
    micro: digitsAt(text, 20, 6),
    offsetMinutes,
  };
}

const Z = 0x5a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;

/** The number written by `count` decimal digits of `text` from `start` (known to be digits). */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + (text.charCodeAt(i) - ZERO);
  return value;
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

function isValidDateTime(t: ParsedTimestamp): boolean {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 59) return false;
  return t.day <= daysInMonth(t.year, t.month);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** A date-time field (a whole number from 0 to 99) in two digits. */
const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/**
 * Python `datetime.isoformat()` of the parsed value, which is how ERB's xAPI library renders a
 * statement timestamp: `T` separator, microseconds only when non-zero, offset as `+HH:MM`
 * (`Z` becomes `+00:00`). A naive value is taken as UTC: Open edX writes UTC everywhere, and
 * ERB would drop the event instead.
 */
export function pythonIsoformat(t: ParsedTimestamp): string {
  let out = `${String(t.year).padStart(4, '0')}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}`;
  if (t.micro !== 0) out += '.' + String(t.micro).padStart(6, '0');
  const offset = t.offsetMinutes ?? 0;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return out + `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * `pythonIsoformat` of a timestamp text, or undefined when it is not a date-time. Open edX writes
 * its timestamps as Python's isoformat: such a text (a non-zero fraction, a `+HH:MM` offset) is
 * its own rendering and is returned as it is.
 */
export function pythonIsoformatOf(text: string): string | undefined {
  if (isOwnIsoformat(text)) return text;
  const parsed = parseTimestamp(text);
  return parsed === undefined ? undefined : pythonIsoformat(parsed);
}

/**
 * Whether a text is Python's isoformat of itself: Open edX's spelling with a `+HH:MM` offset, a
 * non-zero fraction and a valid date and time. Read in place, as nearly every event's timestamp
 * is such a text.
 */
function isOwnIsoformat(text: string): boolean {
  if (text.length !== 32 || text.charCodeAt(26) !== PLUS || !isOpenEdxForm(text)) return false;
  if (digitsAt(text, 20, 6) === 0 || digitsAt(text, 30, 2) >= 60) return false;
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(digitsAt(text, 0, 4), month)) return false;
  return digitsAt(text, 11, 2) <= 23 && digitsAt(text, 14, 2) <= 59 && digitsAt(text, 17, 2) <= 59;
}

/** Milliseconds since the epoch (UTC), the offset applied; naive values taken as UTC. */
export function epochMillis(t: ParsedTimestamp): number {
  const local = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, Math.floor(t.micro / 1000));
  return local - (t.offsetMinutes ?? 0) * 60_000;
}

/**
 * ERB `convert_datetime_to_iso`, used for Caliper `eventTime`: shifted to UTC, truncated to
 * milliseconds, `Z` suffix (`2020-07-14T14:39:26.906Z`).
 */
export function utcMillisIso(t: ParsedTimestamp): string {
  return utcIso(t, 3);
}

/** The UTC instant with microseconds (`…T06:36:01.917775Z`). */
export function utcMicrosIso(t: ParsedTimestamp): string {
  return utcIso(t, 6);
}

/** A timestamp as Caliper's eventTime (`utcMillisIso`) and as the instant its ids hash (`utcMicrosIso`). */
export interface UtcRenderings {
  millis: string;
  micros: string;
}

/**
 * `utcMillisIso` and `utcMicrosIso` of a timestamp text, or undefined when it is not a date-time.
 * A UTC text in Open edX's spelling holds both already, up to the `Z`.
 */
export function utcRenderingsOf(text: string): UtcRenderings | undefined {
  const parsed = parseTimestamp(text);
  if (parsed === undefined) return undefined;
  if (parsed.offsetMinutes === 0 && parsed.year >= 1000 && isOpenEdxForm(text)) {
    return { millis: text.slice(0, 23) + 'Z', micros: text.slice(0, 26) + 'Z' };
  }
  return { millis: utcMillisIso(parsed), micros: utcMicrosIso(parsed) };
}

function utcIso(t: ParsedTimestamp, fractionDigits: 3 | 6): string {
  // Open edX writes UTC, and formatting such a value from its fields is several times cheaper
  // than Date's toISOString (which shows at one or two calls per event). Other offsets go through
  // Date, and so do years it spells or reads differently (Date.UTC takes 0–99 as 1900–1999).
  if ((t.offsetMinutes ?? 0) === 0 && t.year >= 1000 && t.year <= 9999 && t.micro < 1_000_000 && isValidDateTime(t)) {
    const fraction = String(t.micro).padStart(6, '0').slice(0, fractionDigits);
    return `${t.year}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}.${fraction}Z`;
  }
  const millis = new Date(epochMillis(t)).toISOString();
  return fractionDigits === 3 ? millis : millis.slice(0, -1) + String(t.micro % 1000).padStart(3, '0') + 'Z';
}
