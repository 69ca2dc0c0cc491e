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

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parse ISO 8601 / RFC 3339-like text; undefined when it is not a date-time. */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
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
  if (!isValidDateTime(parsed)) return undefined;
  return parsed;
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
