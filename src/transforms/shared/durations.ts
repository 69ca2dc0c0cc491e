/**
 * Durations in the two renderings ERB emits: tincan's for xAPI (`PT03M15S`) and isodate's for
 * Caliper (`PT3M15S`, `P0D`). They differ, and statements already in LRSs carry both.
 */

/** Whole microseconds in `seconds`, rounded as Python's timedelta rounds. */
function toMicros(seconds: number): number {
  return Math.round(seconds * 1_000_000);
}

/** tincan 1.0.0 `jsonify_timedelta`: hours/minutes appear only once a larger unit exists, 2 digits. */
export function tincanDuration(seconds: number): string {
  const negative = seconds < 0;
  let micros = Math.abs(toMicros(seconds));
  const days = Math.floor(micros / 86_400_000_000);
  micros -= days * 86_400_000_000;
  const hours = Math.floor(micros / 3_600_000_000);
  micros -= hours * 3_600_000_000;
  const minutes = Math.floor(micros / 60_000_000);
  micros -= minutes * 60_000_000;
  const date = days ? `${days}D` : '';
  let time = 'T';
  let biggerExists = date !== '' || hours !== 0;
  if (biggerExists) time += String(hours).padStart(2, '0') + 'H';
  biggerExists = biggerExists || minutes !== 0;
  if (biggerExists) time += String(minutes).padStart(2, '0') + 'M';
  const wholeSeconds = Math.floor(micros / 1_000_000);
  const fraction = micros % 1_000_000;
  let secondsText = String(wholeSeconds).padStart(2, '0');
  if (fraction !== 0) secondsText += '.' + String(fraction).padStart(6, '0').replace(/0+$/, '');
  return (negative ? '-' : '') + 'P' + date + time + secondsText + 'S';
}

/** isodate `duration_isoformat(timedelta(seconds=…))`: `PT3M15S`, `PT0.032788S`, `P0D` for zero. */
export function isodateDuration(seconds: number): string {
  const negative = seconds < 0;
  let micros = Math.abs(toMicros(seconds));
  const days = Math.floor(micros / 86_400_000_000);
  micros -= days * 86_400_000_000;
  const hours = Math.floor(micros / 3_600_000_000);
  micros -= hours * 3_600_000_000;
  const minutes = Math.floor(micros / 60_000_000);
  micros -= minutes * 60_000_000;
  const wholeSeconds = Math.floor(micros / 1_000_000);
  const fraction = micros % 1_000_000;
  let out = '';
  if (days) out += `${days}D`;
  if (hours || minutes || wholeSeconds || fraction) {
    out += 'T';
    if (hours) out += `${hours}H`;
    if (minutes) out += `${minutes}M`;
    if (wholeSeconds || fraction) {
      out += String(wholeSeconds);
      if (fraction) out += '.' + String(fraction).padStart(6, '0').replace(/0+$/, '');
      out += 'S';
    }
  }
  if (out === '') out = '0D';
  return (negative ? '-' : '') + 'P' + out;
}

/** A number of seconds from an event value that may be a number or numeric text. */
export function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}
