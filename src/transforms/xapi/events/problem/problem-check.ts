import type { JsonObject, JsonValue } from '../../../../core/event.js';
import { isJsonObject } from '../../../../core/event.js';
import { problemBlockId } from '../../../shared/block-ids.js';
import { asText } from '../../../shared/event-view.js';
import { cloneJson } from '../../../shared/json-copy.js';
import {
  activity,
  extensions,
  result,
  type Activity,
  type ActivityDefinition,
  type Context,
  type Result,
  type Statement,
  type Verb,
} from '../../statement.js';
import type { XapiTransformer } from '../../transformer.js';
import { ACTIVITY, EN_US, EXTENSION } from '../../vocabulary.js';
import type { XapiRun } from '../../xapi-run.js';
import { DEFAULT_INTERACTION_TYPE, interactionType } from './interaction-types.js';
import { baseProblemId, numberValue, or, responseText, truthy } from './problem-values.js';

/**
 * `problem_check`: a browser check is "attempted" (no result), a server check is "evaluated"
 * with score, success and response. A server check with more than one submission key is a
 * multi-question problem: a parent statement on a GroupActivity, then one child statement per
 * key that points back to the parent (ERB §7.9).
 */
export const problemCheck: XapiTransformer = (run) => {
  run.actor();
  const verb = run.verb(isBrowser(run, 'verb') ? 'attempted' : 'evaluated');
  const childIds = childIdsOf(run);
  const multi = childIds.length > 0;
  const answered = firstAnsweredSubmission(run);

  const object = problemObject(run, answered, undefined);
  if (multi) {
    object.objectType = 'GroupActivity';
    if (object.definition !== undefined) object.definition.interactionType = DEFAULT_INTERACTION_TYPE;
  }
  const context = run.defaultContext();
  const parent = run.statement({ verb, object, result: problemResult(run, answered), context });
  if (!multi) return parent;
  return [parent, ...childIds.map((childId) => childStatement(run, verb, parent, childId))];
};

/** One question of a multi-question problem; its id hashes the child id in (ERB §7.3). */
function childStatement(run: XapiRun, verb: Verb, parent: Statement, childId: string): Statement {
  const submission = childSubmission(run, childId);
  let childResult = problemResult(run, submission);
  if (childResult !== undefined) {
    // Only the parent carries the score; the response is this question's answer alone.
    childResult = result({ success: childResult.success, response: responseText(submission?.['answer']) });
  }
  const grouping = parent.context?.contextActivities?.parent;
  const context: Context = {
    contextActivities: {
      parent: [cloneJson(parent.object)],
      // ERB fails on a multi-question event without a course; we just leave the grouping out.
      ...(grouping === undefined ? {} : { grouping: cloneJson(grouping) }),
    },
    statement: { objectType: 'StatementRef', id: parent.id },
    extensions: run.contextExtensions(),
  };
  return run.statement({ verb, object: problemObject(run, submission, childId), result: childResult, context, childId });
}

/**
 * Whether the event comes from the browser. ERB reads the two places in a different order for
 * the verb and result (`event_source` first) than for the object (`context.event_source` first).
 */
function isBrowser(run: XapiRun, use: 'verb' | 'object'): boolean {
  const [first, second] = use === 'verb' ? ['event_source', 'context.event_source'] : ['context.event_source', 'event_source'];
  return or(run.view.get(first), () => run.view.get(second)) === 'browser';
}

/** Submission keys of a multi-question check; none when there is only one question. */
function childIdsOf(run: XapiRun): string[] {
  const submissions = run.view.get('submission');
  if (!isJsonObject(submissions)) return [];
  const keys = Object.keys(submissions);
  return keys.length > 1 ? keys : [];
}

/** The first submission that names its response type: it describes the (parent) problem. */
function firstAnsweredSubmission(run: XapiRun): JsonObject | undefined {
  const submissions = run.view.get('data.submission');
  if (!isJsonObject(submissions)) return undefined;
  for (const submission of Object.values(submissions)) {
    if (isJsonObject(submission) && truthy(submission['response_type'])) return submission;
  }
  return undefined;
}

/** One child's submission, whether or not it names a response type. */
function childSubmission(run: XapiRun, childId: string): JsonObject | undefined {
  const submissions = run.view.get('submission');
  const submission = isJsonObject(submissions) ? submissions[childId] : undefined;
  return isJsonObject(submission) && truthy(submission) ? submission : undefined;
}

/**
 * The problem (or, with a child id, one question) as an activity. The id comes from the referer
 * or the answer data for browser checks, from the problem id otherwise; it may be missing, as
 * in ERB, and such statements are dropped later.
 */
function problemObject(run: XapiRun, submission: JsonObject | undefined, childId: string | undefined): Activity {
  let id = baseProblemId(run);
  if (childId !== undefined) id = [...(id ?? '').split('@').slice(0, -1), childId].join('@');
  const definition = problemDefinition(run, submission);
  // ERB requires a referer on every problem_check, though only browser checks use it.
  const referer = or(run.view.get('referer'), () => run.view.require('context.referer'));
  if (isBrowser(run, 'object')) {
    const data = run.view.get('data');
    const blockId = problemBlockId(
      asText(referer),
      typeof data === 'string' ? data : undefined,
      run.view.string('context.course_id'),
    );
    return activity(blockId === undefined ? undefined : run.iri('xblock', blockId), definition);
  }
  return activity(id === undefined ? undefined : run.iri('xblock', id), definition);
}

/**
 * Attempt number, interaction type, and either the question text (from the submission) or the
 * problem's display name. An empty question is kept as ERB keeps it (`{"en-US": ""}`).
 */
function problemDefinition(run: XapiRun, submission: JsonObject | undefined): ActivityDefinition {
  const attempts = run.view.get('data.attempts');
  const definition: ActivityDefinition = { type: ACTIVITY.interaction };
  if (submission !== undefined) {
    const question = submission['question'];
    // ERB fails the event when the question is missing or not text; we leave the description out.
    if (typeof question === 'string') definition.description = { [EN_US]: question };
    definition.interactionType = interactionType(submission['response_type']);
  } else {
    const displayName = run.view.get('display_name');
    if (typeof displayName === 'string') definition.name = { [EN_US]: displayName };
    definition.interactionType = interactionType(run.view.get('response_type'));
  }
  if (truthy(attempts)) definition.extensions = extensions({ [EXTENSION.attemptId]: attempts });
  return definition;
}

/**
 * Result of a server check: success and response from the submission (or, for old events
 * without one, from `success` and the raw `answers`), and the score from grade and max grade.
 */
function problemResult(run: XapiRun, submission: JsonObject | undefined): Result | undefined {
  if (isBrowser(run, 'verb')) return undefined;
  let response: JsonValue | undefined;
  let success: boolean | undefined;
  if (submission !== undefined) {
    response = submission['answer'];
    const correct = submission['correct'];
    success = correct === undefined || correct === null ? undefined : truthy(correct);
  } else {
    const data = run.view.get('data');
    response = isJsonObject(data) ? data['answers'] : undefined;
    success = run.view.get('success') === 'correct';
  }
  const max = numberValue(run.view.get('max_grade'));
  const raw = numberValue(run.view.get('grade'));
  const scaled = max === undefined || raw === undefined ? undefined : max > 0 ? raw / max : 0;
  return result({ score: { scaled, raw, min: 0, max }, success, response: responseText(response) });
}
