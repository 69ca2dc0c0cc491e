/**
 * Every event or statement that is not delivered is counted with one of these reasons.
 * They are the values of the `reason` label on the dropped/skipped metrics and the `reason`
 * field of `--errors` records, so the list is closed and documented in docs/skip-reasons.md.
 */
export const SKIP_REASONS = [
  'unparsable_line',
  'invalid_event',
  'unsupported_event',
  'filtered',
  'backend_disabled',
  'unknown_user',
  'missing_object_id',
  'missing_field',
  'invalid_value',
  'transform_error',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** Notes do not drop anything; they count something worth knowing about a produced statement. */
export const NOTE_KINDS = ['unknown_course'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
