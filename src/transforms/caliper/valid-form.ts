import type { JsonValue } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';
import { numberValue } from '../shared/grade-number.js';
import type { CaliperEvent } from './caliper-event.js';
import { ENTITY_TYPE } from './vocabulary.js';

/**
 * ERB emits invalid Caliper in these ways (docs/caliper.md, "Default mode"); by default we emit
 * the valid form. The id is computed before this step and does not change.
 * 1. The link-click object type `Webpage` is not a Caliper term: written `WebPage`.
 * 2. An entity must have an id: ERB's browser `problem_check` with no problem id yields an
 *    Assessment without one; such events are skipped (`missing_object_id`).
 * 3. A GradeEvent's `generated` must be the Score entity; ERB wraps it as `{score: {…}}` and
 *    gives the Score an `attempts` member Caliper does not define: the Score itself is written,
 *    with `attempts` moved into its `extensions` (custom attributes belong there).
 *    Its `scoreGiven` and `maxScore` are numbers in Caliper: numeric text (`"2"`) is read as the
 *    number it spells, as the xAPI side does; anything else that is not a number is left out.
 * 4. Negative durations (a player reporting a position before 0) are not ISO 8601 durations:
 *    the optional property is left out.
 */
export function toValidForm(event: CaliperEvent): CaliperEvent {
  const object = event['object'] as Record<string, unknown> | undefined;
  if (object === undefined || typeof object['id'] !== 'string' || object['id'] === '') {
    throw new SkipEventError('missing_object_id', `the ${String(event.type)} object has no id`);
  }
  if (object['type'] === ENTITY_TYPE.erbWebpage) object['type'] = ENTITY_TYPE.webPage;
  unwrapScore(event);
  dropNegative(object, 'duration');
  const target = event['target'] as Record<string, unknown> | undefined;
  if (target !== undefined) {
    dropNegative(target, 'currentTime');
    const extensions = target['extensions'] as Record<string, unknown> | undefined;
    if (extensions !== undefined) dropNegative(extensions, 'newTime');
  }
  return event;
}

function dropNegative(holder: Record<string, unknown>, key: string): void {
  const value = holder[key];
  if (typeof value === 'string' && value.startsWith('-')) delete holder[key];
}

function unwrapScore(event: CaliperEvent): void {
  const generated = event['generated'] as Record<string, unknown> | undefined;
  const score = generated?.['score'] as Record<string, unknown> | undefined;
  if (generated === undefined || score === undefined || Object.keys(generated).length !== 1) return;
  const { attempts, extensions, ...rest } = score;
  const moved: Record<string, unknown> = { ...rest };
  for (const key of ['maxScore', 'scoreGiven']) {
    if (moved[key] === undefined) continue;
    const value = numberValue(moved[key] as JsonValue);
    if (value === undefined) delete moved[key];
    else moved[key] = value;
  }
  const merged = { ...(extensions as Record<string, unknown> | undefined) };
  if (attempts !== undefined) merged['attempts'] = attempts;
  if (Object.keys(merged).length > 0) moved['extensions'] = merged;
  event['generated'] = moved;
}
