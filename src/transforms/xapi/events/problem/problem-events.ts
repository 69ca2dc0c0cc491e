import { isJsonObject } from '../../../../core/event.js';
import { SkipEventError } from '../../../../core/errors.js';
import { pythonStr } from '../../../shared/python-repr.js';
import { activity, result } from '../../statement.js';
import type { XapiTransformer } from '../../transformer.js';
import { ACTIVITY } from '../../vocabulary.js';
import { baseProblemId, numberValue } from './problem-values.js';

/**
 * The single-statement problem events: answer shown, hint shown, problem graded, and the
 * proposed (never emitted) problem completion. Every one first resolves ERB's base problem id,
 * which requires `data.problem_id` or `data.module_id` whenever the event has a `data` dict.
 */

/** `showanswer`: asked for the problem's answer; the object is `<problem IRI>/answer`. */
export const showAnswer: XapiTransformer = (run) => {
  run.actor();
  baseProblemId(run);
  const problemId = pythonStr(run.view.require('problem_id'));
  return run.statement({
    verb: run.verb('asked'),
    object: activity(`${run.iri('xblock', problemId)}/answer`, { type: ACTIVITY.solution }),
  });
};

/** `edx.problem.hint.demandhint_displayed`: asked for a hint; `<problem IRI>/hint/<index>`. */
export const hintDisplayed: XapiTransformer = (run) => {
  run.actor();
  baseProblemId(run);
  const moduleId = pythonStr(run.view.require('module_id'));
  const hintIndex = pythonStr(run.view.require('hint_index'));
  return run.statement({
    verb: run.verb('asked'),
    object: activity(`${run.iri('xblock', moduleId)}/hint/${hintIndex}`, { type: ACTIVITY.supplementalInfo }),
  });
};

/** `edx.problem.completed` (proposed): ERB uses the bare usage key as the object id, not an IRI. */
export const problemCompleted: XapiTransformer = (run) => {
  run.actor();
  const id = baseProblemId(run);
  return run.statement({
    verb: run.verb('completed'),
    object: activity(id === undefined ? undefined : run.bareBlockId(id), { type: ACTIVITY.interaction }),
  });
};

/**
 * `edx.grades.problem.submitted`: attempted, scored with the weighted grade. A missing or null
 * weight counts as 0 (ERB fails on a missing key; numeric text is read as a number). Without a
 * `data` dict there is no grade at all, and the event is skipped (ERB fails on it).
 */
export const problemGraded: XapiTransformer = (run) => {
  run.actor();
  const id = baseProblemId(run);
  const weights = run.view.get('data');
  if (!isJsonObject(weights)) {
    throw new SkipEventError('missing_field', `event "${run.view.name}" has no grade data`);
  }
  const possible = numberValue(weights['weighted_possible']) ?? 0;
  const earned = numberValue(weights['weighted_earned']) ?? 0;
  return run.statement({
    verb: run.verb('attempted'),
    object: activity(id === undefined ? undefined : run.iri('xblock', id), { type: ACTIVITY.question }),
    result: result({
      success: earned >= possible,
      score: { scaled: possible > 0 ? earned / possible : 0, raw: earned, min: 0, max: possible },
    }),
  });
};
