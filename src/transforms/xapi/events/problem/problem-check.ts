import type { JsonObject, JsonValue } from '../../../../core/event.js';
import { isJsonObject } from '../../../../core/event.js';
import { problemBlockId } from '../../../shared/block-ids.js';
import { asText } from '../../../shared/event-view.js';
import { cloneJson } from '../../../shared/json-copy.js';
import { activity, extensions, result, type Activity, type ActivityDefinition, type Context, type Result, type Statement, type Verb } from '../../statement.js';
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
  const browser = isBrowser(run, 'verb');
  const verb = run.verb(browser ? 'attempted' : 'evaluated');
  const childIds = childIdsOf(run);
  const multi = childIds.length > 0;
  const answered = firstAnsweredSubmission(run);

  const facts = problemFacts(run);
  const object = problemObject(run, facts, answered, undefined);
  if (multi) {
    object.objectType = 'GroupActivity';
    if (object.definition !== undefined) object.definition.interactionType = DEFAULT_INTERACTION_TYPE;
  }
  const context = run.defaultContext();
  const parent = run.statement({ verb, object, result: browser ? undefined : problemResult(run, answered), context });
  if (!multi) return parent;
  const statements = [parent];
  for (const childId of childIds) statements.push(childStatement(run, facts, verb, parent, childId, browser));
  return statements;
};

/** What every statement of one check reads alike, read once for all of them. */
interface ProblemFacts {
  /** The problem id, not yet an IRI. */
  id: string | undefined;
  attempts: JsonValue | undefined;
  referer: JsonValue | undefined;
  /** Whether the object comes from the browser's fields (see isBrowser). */
  browser: boolean;
}

/** Read in the order ERB reads them, so that a skipped event names the field ERB would. */
function problemFacts(run: XapiRun): ProblemFacts {
  const id = baseProblemId(run);
  const attempts = run.view.get('data.attempts');
  // ERB requires a referer on every problem_check, though only browser checks use it (and they
  // find the block in the answer data too). Event-bus entries carry no referer, so by default it
  // is optional; a browser check whose block cannot be found without it is skipped later.
  const readReferer = run.ctx.compat === 'erb' ? () => run.view.require('context.referer') : () => run.view.get('context.referer');
  const referer = or(run.view.get('referer'), readReferer);
  return { id, attempts, referer, browser: isBrowser(run, 'object') };
}

/** One question of a multi-question problem; its id hashes the child id in (ERB §7.3). */
function childStatement(run: XapiRun, facts: ProblemFacts, verb: Verb, parent: Statement, childId: string, browser: boolean): Statement {
  const submission = childSubmission(run, childId);
  // Only the parent carries the score; the response is this question's answer alone.
  const childResult = browser ? undefined : result({ success: submissionSuccess(run, submission), response: responseText(submission?.['answer']) });
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
  return run.statement({ verb, object: problemObject(run, facts, submission, childId), result: childResult, context, childId });
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
function problemObject(run: XapiRun, facts: ProblemFacts, submission: JsonObject | undefined, childId: string | undefined): Activity {
  let id = facts.id;
  if (childId !== undefined) id = withLastPartReplaced(id ?? '', childId);
  const definition = problemDefinition(run, facts, submission);
  if (facts.browser) {
    const data = run.view.get('data');
    const blockId = problemBlockId(asText(facts.referer), typeof data === 'string' ? data : undefined, run.view.string('context.course_id'));
    return activity(blockId === undefined ? undefined : run.iri('xblock', blockId), definition);
  }
  return activity(id === undefined ? undefined : run.iri('xblock', id), definition);
}

/** ERB's child id: the problem id with its last `@` part replaced (`'@'.join(id.split('@')[:-1] + [child])`). */
function withLastPartReplaced(id: string, lastPart: string): string {
  const at = id.lastIndexOf('@');
  return at < 0 ? lastPart : `${id.slice(0, at)}@${lastPart}`;
}

/** Success from the submission's `correct`, or, for old events without one, from `success`. */
function submissionSuccess(run: XapiRun, submission: JsonObject | undefined): boolean | undefined {
  if (submission === undefined) return run.view.get('success') === 'correct';
  const correct = submission['correct'];
  return correct === undefined || correct === null ? undefined : truthy(correct);
}

/**
 * Attempt number, interaction type, and either the question text (from the submission) or the
 * problem's display name. An empty question is kept as ERB keeps it (`{"en-US": ""}`).
 */
function problemDefinition(run: XapiRun, facts: ProblemFacts, submission: JsonObject | undefined): ActivityDefinition {
  const attempts = facts.attempts;
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
function problemResult(run: XapiRun, submission: JsonObject | undefined): Result {
  let response: JsonValue | undefined;
  if (submission !== undefined) {
    response = submission['answer'];
  } else {
    const data = run.view.get('data');
    response = isJsonObject(data) ? data['answers'] : undefined;
  }
  const success = submissionSuccess(run, submission);
  const max = numberValue(run.view.get('max_grade'));
  const raw = numberValue(run.view.get('grade'));
  const scaled = max === undefined || raw === undefined ? undefined : max > 0 ? raw / max : 0;
  return result({ score: { scaled, raw, min: 0, max }, success, response: responseText(response) });
}
