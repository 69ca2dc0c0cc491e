import type { SkipReason } from '../core/drop-reason.js';

/**
 * Why a replayed line produced nothing: the pipeline's reasons (core/drop-reason.ts) plus the
 * replay's own selections and failures. These are the `reason` of `--errors` records and the
 * "skipped" lines of the summary; docs/replay.md lists them.
 */
export type ReplaySkipReason =
  | SkipReason
  /** `--since`/`--until` leave the event out. */
  | 'outside_time_range'
  /** A time window is set and the event has no readable `timestamp`/`time`. */
  | 'no_timestamp'
  /** `--events` leaves the event out. */
  | 'event_not_selected'
  /**
   * With `--routers`: the event's user or course could not be resolved within --lrs-retry-for
   * (the LMS or the identity database did not answer); `serve` would have kept it and retried.
   */
  | 'identity_unavailable'
  /** With `--routers`: the event was transformed, but no router's match_params match it. */
  | 'no_matching_router'
  /** The destination refused the statement itself (after splitting its batch), e.g. HTTP 400. */
  | 'destination_rejected'
  /**
   * Another statement has its id: the LRS holds a different statement with it (HTTP 409 for this
   * statement alone), or a different statement with the id came in the same batch.
   */
  | 'destination_conflict';

/** Reasons that mean "this line is not an event at all" (ERB's "could not parse"). */
export const UNPARSABLE_REASONS: ReadonlySet<string> = new Set(['unparsable_line', 'invalid_event']);
