/**
 * Durations in the two renderings ERB emits: tincan's for xAPI (`PT03M15S`) and isodate's for
 * Caliper (`PT3M15S`, `P0D`). They differ, and statements already in LRSs carry both.
 */

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;

/**
 * Whole microseconds in `seconds`, as Python's `timedelta(seconds=…)` computes them: the whole
 * seconds are kept apart and only the fraction is scaled, then rounded half to even.
 */
function toMicros(seconds: number): number {
  const whole = Math.trunc(seconds);
  const fraction = (seconds - whole) * MICROS_PER_SECOND;
  return whole * MICROS_PER_SECOND + roundHalfEven(fraction);
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Floor division with a non-negative remainder, as Python's divmod on a positive divisor. */
function divmod(value: number, divisor: number): [number, number] {
  const quotient = Math.floor(value / divisor);
  return [quotient, value - quotient * divisor];
}

/** Seconds text with up to 6 decimals, trailing zeros dropped: 5 → "5", 14.381 → "14.381". */
function secondsText(wholeSeconds: number, fractionMicros: number, pad: boolean): string {
  let text = pad ? String(wholeSeconds).padStart(2, '0') : String(wholeSeconds);
  if (fractionMicros !== 0) text += '.' + String(fractionMicros).padStart(6, '0').replace(/0+$/, '');
  return text;
}

/**
 * tincan 1.0.0 `jsonify_timedelta`: hours and minutes appear only once a larger unit exists and
 * are zero-padded to 2 digits, seconds always are: 195 → `PT03M15S`, 5 → `PT05S`,
 * 194.381 → `PT03M14.381S`, 0 → `PT00S`. Negative values come out as Python's timedelta
 * normalises them (days negative, the rest positive): -5 → `P-1DT23H59M55S`.
 */
export function tincanDuration(seconds: number): string {
  const [minutesTotal, secondMicros] = divmod(toMicros(seconds), MICROS_PER_MINUTE);
  const [hoursTotal, minutes] = divmod(minutesTotal, 60);
  const [days, hours] = divmod(hoursTotal, 24);
  const date = days !== 0 ? `${days}D` : '';
  let time = 'T';
  let biggerExists = date !== '' || hours !== 0;
  if (biggerExists) time += String(hours).padStart(2, '0') + 'H';
  biggerExists = biggerExists || minutes !== 0;
  if (biggerExists) time += String(minutes).padStart(2, '0') + 'M';
  const [wholeSeconds, fraction] = divmod(secondMicros, MICROS_PER_SECOND);
  return 'P' + date + time + secondsText(wholeSeconds, fraction, true) + 'S';
}

/** isodate `duration_isoformat(timedelta(seconds=…))`: `PT3M15S`, `PT0.032788S`, `P0D` for zero. */
export function isodateDuration(seconds: number): string {
  const signed = toMicros(seconds);
  const [secondsTotal, fraction] = divmod(Math.abs(signed), MICROS_PER_SECOND);
  const [minutesTotal, wholeSeconds] = divmod(secondsTotal, 60);
  const [hoursTotal, minutes] = divmod(minutesTotal, 60);
  const [days, hours] = divmod(hoursTotal, 24);
  let out = '';
  if (days) out += `${days}D`;
  if (hours || minutes || wholeSeconds || fraction) {
    out += 'T';
    if (hours) out += `${hours}H`;
    if (minutes) out += `${minutes}M`;
    if (wholeSeconds || fraction) out += secondsText(wholeSeconds, fraction, false) + 'S';
  }
  if (out === '') out = '0D';
  return (signed < 0 ? '-' : '') + 'P' + out;
}

/** Python `float()` text: optional sign, digits with single `_` separators, fraction, exponent. */
const PYTHON_FLOAT_TEXT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/**
 * A number of seconds from an event value that may be a number or numeric text, read as
 * Python's `float()` reads text (surrounding whitespace, `1_000`; no hex, no `Infinity`).
 * Undefined for anything else, and for non-finite values (`nan`, `inf`, `1e400`), which ERB
 * would write as the invalid JSON tokens NaN/Infinity.
 */
export function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!PYTHON_FLOAT_TEXT.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * ERB `convert_seconds_to_float`'s rounding, `float("{0:.3f}".format(seconds))`: to 3 decimals,
 * exact ties (odd multiples of 1/16, e.g. 0.0625) half to even as Python formats them, where
 * `toFixed` would round them up.
 */
export function roundSeconds(seconds: number): number {
  if (!Number.isFinite(seconds)) return seconds;
  // Already a number of thousandths (nearly every player time): it formats as itself. Such a
  // value is the double nearest k/1000, which "{0:.3f}" writes as k/1000 exactly.
  if (Math.abs(seconds) < 1e9 && Math.round(seconds * 1000) / 1000 === seconds) return seconds;
  const sixteenths = seconds * 16;
  if (Number.isInteger(sixteenths) && Math.abs(sixteenths % 2) === 1 && Math.abs(seconds) < 2 ** 40) {
    const thousandths = seconds * 1000; // exact: an odd multiple of 62.5
    const floor = Math.floor(thousandths);
    return (floor % 2 === 0 ? floor : floor + 1) / 1000;
  }
  return Number(seconds.toFixed(3));
}
