import type { JsonValue } from '../../../core/event.js';
import { SkipEventError } from '../../../core/errors.js';
import { problemBlockId } from '../../shared/block-ids.js';
import type { CaliperRun } from '../caliper-run.js';
import { dataObject, pythonStr } from '../caliper-run.js';
import type { CaliperEvent } from '../caliper-event.js';
import type { CaliperFamily } from '../transformer.js';
import { ACTION, BLANK_SCORE_ID, ENTITY_TYPE, EVENT_TYPE, type EmittedAction } from '../vocabulary.js';

/**
 * The problem block an event is about: `data.problem_id`, else `data.module_id`, else (ERB's
 * `get_problem_block_id`) the referer's `activate_block_id` or the block named in browser
 * `problem_check` data. The referer is required on that last path, as in ERB.
 */
function problemId(run: CaliperRun): string | undefined {
  const data = dataObject(run.view);
  if (data !== undefined) {
    // ERB: data.get('problem_id', data.get('module_id')): a present problem_id wins even when null.
    const raw = Object.prototype.hasOwnProperty.call(data, 'problem_id') ? data['problem_id'] : data['module_id'];
    const id = raw === undefined || raw === null || raw === '' ? undefined : pythonStr(raw);
    if (id !== undefined) return id;
  }
  // Event-bus entries carry no referer: by default the answer data may name the block alone.
  const referrer = run.compat === 'erb' ? run.view.requireString('context.referer') : run.view.string('context.referer');
  const rawData = run.view.get('data');
  return problemBlockId(referrer, typeof rawData === 'string' ? rawData : undefined, run.courseId());
}

/**
 * A problem id for an object id that ERB builds by formatting (`<id>/solution`, …): when the
 * event names no problem, ERB writes the text "None"; by default we skip the event instead.
 */
function requiredProblemId(run: CaliperRun, id: string | undefined): string {
  if (id !== undefined) return id;
  if (run.compat === 'erb') return 'None';
  throw new SkipEventError('missing_object_id', `event "${run.name}" names no problem`);
}

/** The problem's object with the course first, as ERB orders it, then id, type, name. */
function problemObject(run: CaliperRun, id: string | undefined, type: string, name?: string): Record<string, unknown> {
  const isPartOf = run.isPartOf();
  const object: Record<string, unknown> = {};
  if (isPartOf !== undefined) object['extensions'] = { isPartOf };
  object['id'] = id === undefined ? undefined : run.iri('xblock', id);
  object['type'] = type;
  object['name'] = name;
  return object;
}

/** An assessment (or item) acted on: the problem block itself, which may be unknown (no id). */
function assessment(type: string, action: EmittedAction, objectType: string) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    return run.event({ type, object: problemObject(run, problemId(run), objectType), action });
  };
}

/** The learner viewed something attached to the problem (solution, hint): an Annotation. */
function annotationViewed(name: string, suffix: (run: CaliperRun) => string) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    const id = requiredProblemId(run, problemId(run));
    const object = problemObject(run, `${id}/${suffix(run)}`, ENTITY_TYPE.annotation, name);
    return run.event({ type: EVENT_TYPE.event, object, action: ACTION.viewed });
  };
}

/** A graded attempt (server-side `problem_check`): the attempt, and the score it generated. */
function graded(run: CaliperRun): CaliperEvent {
  run.base();
  const found = problemId(run);
  const id = requiredProblemId(run, found);
  const attempts: JsonValue | undefined = dataObject(run.view)?.['attempts'];
  const anonymousId = run.anonymousId();
  const object = problemObject(run, `${id}/user/${anonymousId}/attempt/${pythonStr(attempts)}`, ENTITY_TYPE.attempt);
  object['extensions'] = {
    ...(object['extensions'] as Record<string, unknown> | undefined),
    assignee: { id: run.iri('user', anonymousId), type: ENTITY_TYPE.person },
    assignable: { id: found === undefined ? undefined : run.iri('xblock', found), type: ENTITY_TYPE.assessment },
    count: attempts,
  };
  const generated = {
    score: {
      id: BLANK_SCORE_ID,
      type: ENTITY_TYPE.score,
      maxScore: run.view.get('max_grade'),
      scoreGiven: run.view.get('grade'),
      attempts: run.view.get('attempts'),
      extensions: { success: run.view.get('success') === 'correct' ? 'True' : 'False' },
    },
  };
  return run.event({ type: EVENT_TYPE.grade, object, action: ACTION.graded, generated });
}

const submitted = assessment(EVENT_TYPE.assessment, ACTION.submitted, ENTITY_TYPE.assessment);

/**
 * `problem_check` is graded when `context.event_source` is "server" (ERB reads only the
 * context here, unlike its xAPI side), otherwise it is the learner's submission.
 */
function problemCheck(run: CaliperRun): CaliperEvent {
  return run.view.get('context.event_source') === 'server' ? graded(run) : submitted(run);
}

/**
 * Caliper transformers of the problem family. `edx.grades.problem.submitted` and
 * `edx.problem.completed` (a proposed event) have transformers but are not in ERB's default
 * Caliper allow-list; see docs/caliper.md.
 */
export const problemTransformers = {
  problem_check: problemCheck,
  'edx.grades.problem.submitted': submitted,
  'edx.problem.completed': assessment(EVENT_TYPE.assessmentItem, ACTION.completed, ENTITY_TYPE.assessmentItem),
  showanswer: annotationViewed('Solution', () => 'solution'),
  'edx.problem.hint.demandhint_displayed': annotationViewed('Hint', (run) => `hint/${pythonStr(dataObject(run.view)?.['hint_index'])}`),
} satisfies CaliperFamily;
