import type { CaliperRun } from '../caliper-run.js';
import type { CaliperEvent } from '../caliper-event.js';
import type { CaliperFamily } from '../transformer.js';
import { ACTION, ENTITY_TYPE, EVENT_TYPE, type EmittedAction } from '../vocabulary.js';

/**
 * Enrollment and course-pass events: a generic `Event` whose object is the course offering,
 * named after the course, with the enrollment mode as its only extension (ERB replaces the
 * `isPartOf` extension here, a course not being part of itself).
 */
function courseEvent(action: EmittedAction) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    const courseId = run.view.requireString('data.course_id');
    // ERB names the course after context.course_id; data.course_id stands in when it is absent.
    const nameCourseId = run.courseId() ?? courseId;
    const mode = run.view.get('data.mode');
    const object: Record<string, unknown> = {};
    // ERB's key order: `extensions` first when the event has a course (it overwrote isPartOf).
    if (run.courseId() !== undefined) object['extensions'] = undefined;
    object['id'] = run.iri('course', courseId);
    object['type'] = ENTITY_TYPE.courseOffering;
    object['name'] = run.courseName(nameCourseId);
    object['extensions'] = mode === undefined ? undefined : { mode };
    return run.event({ type: EVENT_TYPE.event, object, action });
  };
}

/** Caliper transformers of the enrollment family. */
export const enrollmentTransformers = {
  'edx.course.enrollment.activated': courseEvent(ACTION.activated),
  'edx.course.enrollment.deactivated': courseEvent(ACTION.deactivated),
  'edx.course.grade.passed.first_time': courseEvent(ACTION.completed),
} satisfies CaliperFamily;
