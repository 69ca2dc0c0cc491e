import type { JsonValue } from '../../../core/event.js';
import { isJsonObject } from '../../../core/event.js';
import { SkipEventError } from '../../../core/errors.js';
import { isEmpty } from '../../shared/event-view.js';
import { activity, extensions, result, type Result } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EXTENSION } from '../vocabulary.js';
import type { XapiRun } from '../xapi-run.js';
import { courseObject } from './enrollment.js';

/** Decimal notation only: JS Number() would also take "0x1A" or "" (as 0), which are not numbers here. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A value ERB does arithmetic on, as a number. Messy events carry numbers as text ("3.0"), on
 * which ERB's Python arithmetic fails; we read them as the number they spell. Booleans count as
 * 0/1 as in Python. Empty values give undefined. Anything else skips the event as invalid.
 */
export function numberFrom(value: JsonValue | undefined, key: string, eventName: string): number | undefined {
  if (isEmpty(value)) return undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const parsed = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof parsed === 'number' && Number.isFinite(parsed)) return parsed;
  throw new SkipEventError('invalid_value', `Value of ${key} in event "${eventName}" is not a number`);
}

/**
 * ERB reads grade fields as `get_data("data")[key] or 0`: a missing key is a KeyError (the event
 * fails; we skip it), while null or another empty value counts as 0.
 */
function gradeField(run: XapiRun, key: string): number {
  const data: JsonValue | undefined = run.view.get('data');
  if (!isJsonObject(data) || !Object.prototype.hasOwnProperty.call(data, key)) {
    throw new SkipEventError('missing_field', `Could not get value for data.${key} in event "${run.view.name}"`);
  }
  return numberFrom(data[key], `data.${key}`, run.view.name) ?? 0;
}

/**
 * ERB's weighted score: scaled is earned/possible, or 0 when nothing is possible; success means
 * earned reached possible (so 0 of 0 is a success). ERB emits min = max = 0 in that case;
 * valid-form.ts drops that invalid range in default mode. Also fits `edx.grades.problem.submitted`.
 */
export function weightedScoreResult(earned: number, possible: number): Result {
  return result({
    score: { scaled: possible > 0 ? earned / possible : 0, raw: earned, min: 0, max: possible },
    success: earned >= possible,
  });
}

const subsectionGraded: XapiTransformer = (run) => {
  const blockId = run.view.requireString('data.block_id');
  const possible = gradeField(run, 'weighted_total_possible');
  const earned = gradeField(run, 'weighted_total_earned');
  return run.statement({
    verb: run.verb('earned'),
    object: activity(run.iri('xblock', blockId), { type: ACTIVITY.resource }),
    result: weightedScoreResult(earned, possible),
  });
};

const courseGraded: XapiTransformer = (run) => {
  const object = courseObject(run);
  // The course percentage is already a 0..1 fraction, so raw and scaled are the same number.
  const percent = gradeField(run, 'percent_grade');
  // ERB: `get_data("data.letter_grade") or "Fail"`: any falsy letter grade (e.g. "") is "Fail".
  const letter = run.view.get('data.letter_grade');
  return run.statement({
    verb: run.verb('earned'),
    object,
    result: result({
      score: { scaled: percent, raw: percent, min: 0, max: 1 },
      extensions: extensions({
        [EXTENSION.gradeClassification]: letter === undefined || letter === 0 || letter === false ? 'Fail' : letter,
      }),
    }),
  });
};

/** xAPI transformers of the grading family. */
export const gradingTransformers = {
  'edx.grades.subsection.grade_calculated': subsectionGraded,
  'edx.grades.course.grade_calculated': courseGraded,
} satisfies XapiFamily;
