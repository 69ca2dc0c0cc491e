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
  /** A transformer plugin threw, or returned something that is not a valid statement (docs/plugins.md). */
  'plugin_error',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** Notes do not drop anything; they count something worth knowing about a produced statement. */
export const NOTE_KINDS = ['unknown_course'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/**
 * Why `POST /events` (or the bus sink) did not take an event: the `reason` label of
 * `edx_event_router_ingest_rejected_total` and the `reason` of the per-line errors of a 400.
 * `unparsable_line` and `invalid_event` are the skip reasons above; the rest are the service's.
 */
export const INGEST_REJECT_REASONS = [
  'unparsable_line',
  'invalid_event',
  /** The body is larger than EVENT_ROUTER_INGEST_MAX_BODY_BYTES (413). */
  'body_too_large',
  /** The inbox is at EVENT_ROUTER_INBOX_MAX_DEPTH, or too many requests are in flight (503 + Retry-After). */
  'queue_overflow',
  /** The data directory's disk is full, or below EVENT_ROUTER_DISK_MIN_FREE_BYTES (507 + Retry-After). */
  'disk_full',
  /** Missing or wrong ingest token (401). */
  'unauthorized',
  /** The service is shutting down (503 + Retry-After). */
  'shutting_down',
  /** The request bodies in memory are at their bound (EVENT_ROUTER_INGEST_MAX_IN_FLIGHT × body limit): 503 + Retry-After. */
  'too_many_requests',
  /** The body did not arrive within EVENT_ROUTER_INGEST_BODY_TIMEOUT (408). */
  'body_timeout',
  /** A Content-Encoding other than gzip or identity (415), or a gzip body that does not decode (400). */
  'bad_encoding',
  /** An Origin or Host not allowed (EVENT_ROUTER_ALLOWED_ORIGINS, EVENT_ROUTER_ALLOWED_HOSTS): 403 / 421. */
  'not_allowed',
  /** Too many wrong tokens from the client's address (429 + Retry-After). */
  'throttled',
] as const;
export type IngestRejectReason = (typeof INGEST_REJECT_REASONS)[number];

/**
 * Why delivery gave up on a statement (the dead-letter reasons of src/core/dead-letter-reason.ts,
 * repeated here so the closed list of every loss lives in one file).
 */
export const DELIVERY_DROP_REASONS = ['lrs_rejected', 'retries_exhausted', 'conflict'] as const;
export type DeliveryDropReason = (typeof DELIVERY_DROP_REASONS)[number];

/**
 * Queued statements discarded without a delivery attempt: `router_deleted` — their router was
 * deleted while they waited (docs/routers.md, "Deleting a router").
 */
export const OUTBOX_DROP_REASONS = ['router_deleted'] as const;
export type OutboxDropReason = (typeof OUTBOX_DROP_REASONS)[number];

/**
 * Why the pipeline left an event in the inbox for later (nothing is lost):
 * `identity_unavailable` — the LMS could not be asked (or the `wait` policy holds the user);
 * `queue_overflow` — the outbox is full.
 */
export const DEFER_REASONS = ['identity_unavailable', 'queue_overflow'] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];

/** Every reason anything is not (yet) delivered, one closed union (architecture §12). */
export type DropReason = SkipReason | IngestRejectReason | DeliveryDropReason | OutboxDropReason | DeferReason;
