/**
 * Event names ERB knows (allow-lists, xAPI registry, fixtures) that have no Caliper transformer,
 * each with the reason. Such events are skipped with reason `unsupported_event`.
 */
const XAPI_ONLY = 'ERB transforms this event to xAPI only; it has no Caliper transformer, so there is nothing to map it to.';

const xapiOnlyNames = [
  'edx.course.enrollment.mode_changed',
  'edx.grades.subsection.grade_calculated',
  'edx.grades.course.grade_calculated',
  'edx.completion.block_completion.changed',
  ...['timed', 'practice', 'proctored'].flatMap((kind) => ['created', 'submitted'].map((step) => `edx.special_exam.${kind}.attempt.${step}`)),
  ...['created', 'deleted', 'edited', 'viewed', 'reported', 'unreported', 'voted'].map((v) => `edx.forum.thread.${v}`),
  ...['created', 'deleted', 'edited', 'reported', 'unreported', 'voted'].map((v) => `edx.forum.response.${v}`),
  ...['created', 'deleted', 'edited', 'reported', 'unreported'].map((v) => `edx.forum.comment.${v}`),
];

const entries: Array<[string, string]> = [
  [
    'edx.course.grade.now_passed',
    "In ERB's default Caliper allow-list, but ERB has no Caliper transformer for it (it logs an error per " +
      'event and sends nothing); skipped rather than inventing a mapping ERB never defined.',
  ],
  [
    'edx.course.grade.now_failed',
    "In ERB's default Caliper allow-list, but ERB has no Caliper transformer for it (it logs an error per " +
      'event and sends nothing; its docs link a Caliper sample that does not exist); skipped.',
  ],
  ['edx.video.language_menu.shown', 'ERB has no transformer for this event in either format (it is only in the xAPI allow-list).'],
  ['edx.video.language_menu.hidden', 'ERB has no transformer for this event in either format (it is only in the xAPI allow-list).'],
  ...xapiOnlyNames.map((name): [string, string] => [name, XAPI_ONLY]),
];

export const CALIPER_UNSUPPORTED: ReadonlyMap<string, string> = new Map(entries);
