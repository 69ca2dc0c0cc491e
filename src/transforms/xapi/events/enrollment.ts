import { activity, extensions, type Activity, type Extensions } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EN, EXTENSION, type VerbName } from '../vocabulary.js';
import type { XapiRun } from '../xapi-run.js';

/**
 * The course as a statement object: `<LMS>/course/<context.course_id>` with `name: {en: …}`.
 * ERB requires `context.course_id` here (get_data(..., True)), so an event without it is skipped.
 * Shared with the course-grade transformer, which builds the same object without extensions.
 */
export function courseObject(run: XapiRun, objectExtensions?: Extensions): Activity {
  const courseId = run.view.requireString('context.course_id');
  return activity(run.iri('course', courseId), {
    name: { [EN]: run.courseName(courseId) },
    type: ACTIVITY.course,
    extensions: objectExtensions,
  });
}

/**
 * Enrollment and course pass/fail events: the course as object, the enrollment mode as an
 * object extension, and no contextActivities (ERB's BaseEnrollmentTransformer returns none).
 * ERB always builds the extensions map, so a missing mode leaves `extensions: {}` on the wire.
 */
function enrollment(verb: VerbName): XapiTransformer {
  return (run) =>
    run.statement({
      verb: run.verb(verb),
      object: courseObject(run, extensions({ [EXTENSION.mode]: run.view.get('data.mode') })),
      context: { extensions: run.contextExtensions() },
    });
}

/** xAPI transformers of the enrollment family. */
export const enrollmentTransformers = {
  'edx.course.enrollment.activated': enrollment('registered'),
  'edx.course.enrollment.mode_changed': enrollment('registered'),
  'edx.course.enrollment.deactivated': enrollment('unregistered'),
  'edx.course.grade.passed.first_time': enrollment('passed'),
  'edx.course.grade.now_passed': enrollment('passed'),
  'edx.course.grade.now_failed': enrollment('failed'),
} satisfies XapiFamily;
