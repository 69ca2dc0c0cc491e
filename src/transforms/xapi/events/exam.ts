import { SkipEventError } from '../../../core/errors.js';
import { activity, extensions } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EN, EXTENSION, type VerbName } from '../vocabulary.js';

/**
 * Special-exam attempts (edx-proctoring). ERB reads `event.*`, which only exists in tracking-log
 * replays (the live path has `data` only: reference §11.2); every event is normalised so that
 * `data` = `event`, and we read `data.*`, which works on every path with the same output.
 *
 * In `--compat erb` ERB's form is kept: the object id is the bare exam block key and the
 * grouping id the bare attempt code. By default the exam is `<LMS>/xblock/<key>`, as ERB writes
 * every other block (a bare `block-v1:` key is refused by Learning Locker, and the whole batch
 * with it), and valid-form.ts makes the attempt code (a UUID) a `urn:uuid:` IRI.
 */
function examAttempt(type: string, verb: VerbName): XapiTransformer {
  return (run) => {
    const name = run.view.name;
    // Without it ERB's object has no id and its processor drops the statement.
    const examId = run.view.string('data.exam_content_id');
    if (examId === undefined) {
      throw new SkipEventError('missing_object_id', `event "${name}" has no data.exam_content_id`);
    }
    // ERB fails on these (LanguageMap of None, or no course contextActivities to add the
    // grouping to).
    const examName = run.view.requireString('data.exam_name');
    // Without an attempt code ERB still emits the statement, its attempt activity without an id;
    // valid-form.ts leaves that activity out in default mode.
    const attemptCode = run.view.get('data.attempt_code') === undefined ? undefined : run.view.requireString('data.attempt_code');
    const parent = run.courseParent();
    if (parent === undefined) {
      throw new SkipEventError('missing_field', `Could not get value for context.course_id in event "${name}"`);
    }
    const attempt = activity(attemptCode, {
      name: { [EN]: examName },
      type: ACTIVITY.examAttempt,
      extensions: extensions({
        [EXTENSION.attemptStarted]: run.view.get('data.attempt_started_at'),
        [EXTENSION.attemptCompleted]: run.view.get('data.attempt_completed_at'),
        [EXTENSION.duration]: run.view.get('data.attempt_event_elapsed_time_secs'),
        [EXTENSION.attemptId]: run.view.get('data.attempt_id'),
      }),
    });
    return run.statement({
      verb: run.verb(verb),
      object: activity(run.bareBlockId(examId), {
        name: { [EN]: examName },
        type,
        extensions: extensions({ [EXTENSION.timeLimit]: run.view.get('data.exam_default_time_limit_mins') }),
      }),
      context: {
        contextActivities: { parent, grouping: [attempt] },
        extensions: run.contextExtensions(),
      },
    });
  };
}

/** xAPI transformers of the exam family. */
export const examTransformers = {
  'edx.special_exam.timed.attempt.created': examAttempt(ACTIVITY.timedAssessment, 'initialized'),
  'edx.special_exam.timed.attempt.submitted': examAttempt(ACTIVITY.timedAssessment, 'terminated'),
  'edx.special_exam.practice.attempt.created': examAttempt(ACTIVITY.practiceAssessment, 'initialized'),
  'edx.special_exam.practice.attempt.submitted': examAttempt(ACTIVITY.practiceAssessment, 'terminated'),
  'edx.special_exam.proctored.attempt.created': examAttempt(ACTIVITY.proctoredAssessment, 'initialized'),
  'edx.special_exam.proctored.attempt.submitted': examAttempt(ACTIVITY.proctoredAssessment, 'terminated'),
} satisfies XapiFamily;
