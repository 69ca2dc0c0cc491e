import { SkipEventError } from '../../core/errors.js';
import type { Activity, Statement } from './statement.js';

/**
 * ERB's processor drops an event when one of its statements has an object without an id (a
 * browser `problem_check` without a problem id, a server one relabelled `browser`): such events
 * are skipped in both modes, so that nothing id-less is ever sent.
 */
export function requireObjectIds(statements: Statement[]): Statement[] {
  for (const statement of statements) {
    if (typeof statement.object?.id !== 'string' || statement.object.id === '') {
      throw new SkipEventError('missing_object_id', 'the statement object has no id');
    }
  }
  return statements;
}

/**
 * ERB emits several kinds of invalid xAPI (docs/xapi-differences.md). An LRS must reject a whole
 * batch when one statement is invalid (xAPI 1.0.3 Communication §3.2), so by default we emit the
 * valid form. Statement ids are computed before this step and do not change.
 */
export function toValidForm(statements: Statement[]): Statement[] {
  for (const statement of statements) {
    fixActivity(statement.object);
    const activities = statement.context?.contextActivities;
    if (activities !== undefined) {
      // 3. An Activity must have an id: ERB's exam attempt without an attempt code has none.
      // Statements are left untouched otherwise (a delete would slow their serialisation).
      if (activities.grouping !== undefined && !activities.grouping.every(hasId)) {
        const kept = activities.grouping.filter(hasId);
        if (kept.length > 0) activities.grouping = kept;
        else delete activities.grouping;
      }
      fixActivities(activities.parent);
      fixActivities(activities.grouping);
      fixActivities(activities.category);
      fixActivities(activities.other);
    }
    const score = statement.result?.score;
    if (score !== undefined && score.min !== undefined && score.max !== undefined && !(score.max > score.min)) {
      // 4. xAPI 1.0.3 Data §2.4.5.1: max must be greater than min, and scaled needs a range.
      delete score.min;
      delete score.max;
      delete score.scaled;
    }
    if (score !== undefined && score.raw !== undefined) {
      // Messy grade events can earn more than possible; raw must lie within [min, max] and
      // scaled within [-1, 1], or the LRS rejects the batch. Keep raw, drop the broken bounds.
      const outOfRange = (score.min !== undefined && score.raw < score.min) || (score.max !== undefined && score.raw > score.max);
      if (outOfRange) {
        delete score.min;
        delete score.max;
      }
    }
    if (score !== undefined && score.scaled !== undefined && (score.scaled < -1 || score.scaled > 1)) delete score.scaled;
    const duration = statement.result?.duration;
    if (duration !== undefined && statement.result !== undefined) {
      const fixed = validDuration(duration);
      if (fixed === undefined) delete statement.result.duration;
      else statement.result.duration = fixed;
    }
  }
  return statements;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether an IRI starts with a scheme every LRS takes: `^[A-Za-z][A-Za-z0-9]*:`, where RFC 3987
 * would also allow `+`, `.` and `-`. Learning Locker takes a scheme of word characters only
 * (`^\w+:`), so `block-v1:…` passes the xAPI schema and is still refused there, with its whole
 * batch. Written out rather than as a regular expression: it runs on every activity of every
 * statement, and a regular expression costs about as much per call as serialising the id.
 */
export function hasScheme(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    const letter = (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
    if (letter) continue;
    if (i === 0) return false;
    if (code === 0x3a) return true;
    if (!(code >= 0x30 && code <= 0x39)) return false;
  }
  return false;
}

function hasId(item: Activity): boolean {
  return typeof item.id === 'string';
}

function fixActivities(list: Activity[] | undefined): void {
  if (list !== undefined) for (const item of list) fixActivity(item);
}

function fixActivity(item: Activity): void {
  // 1. GroupActivity is not an xAPI objectType; ERB's own HTTP client sends "Activity".
  if (item.objectType === 'GroupActivity') item.objectType = 'Activity';
  // 2. Activity ids must be IRIs (with a scheme every LRS takes, see hasScheme); ERB uses the
  // bare exam attempt code (a UUID).
  if (typeof item.id === 'string' && !hasScheme(item.id)) {
    if (UUID.test(item.id)) item.id = `urn:uuid:${item.id}`;
    else throw new SkipEventError('invalid_value', `activity id "${item.id}" is not an IRI`);
  }
}

/**
 * 5. xAPI 1.0.3 Data §4.6: durations are ISO 8601 with at most 0.01 s precision (the LRS may
 * truncate), and cannot be negative. ERB writes microseconds (`PT03M14.381S`) and negative
 * durations (`P-1DT23H59M55S`); we truncate to hundredths and drop negative ones.
 */
function validDuration(duration: string): string | undefined {
  if (duration.includes('-')) return undefined;
  if (!duration.includes('.')) return duration;
  return duration.replace(/(\d+)\.(\d+)S$/, (_all, whole: string, fraction: string) => {
    const hundredths = fraction.slice(0, 2).replace(/0+$/, '');
    return hundredths === '' ? `${whole}S` : `${whole}.${hundredths}S`;
  });
}
