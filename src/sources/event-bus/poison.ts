/**
 * Why a bus message is dead-lettered instead of delivered. Closed list: these are the values of
 * the `reason` label on the poison counter and of `DeadLetterEntry.reason`.
 */
export const POISON_REASONS = [
  /** Redis entry without `event_data`, or a Kafka message without a value. */
  'missing_event_data',
  /** Another openedx-events signal (`type` / `ce_type`), or none at all. */
  'unsupported_event_type',
  /** The Avro body does not decode with the tracking-log schema. */
  'malformed_avro',
  /** Kafka value without the Confluent framing (magic byte 0 + 4-byte schema id). */
  'bad_framing',
  /** The schema registry does not know the schema id, or its schema is not usable. */
  'unknown_schema',
  /** The writer schema cannot be resolved to the tracking-log schema. */
  'incompatible_schema',
  /** `data` or `context` is not JSON (Python's NaN/Infinity are accepted). */
  'invalid_json',
  /** The decoded event fails normalisation (e.g. an empty name). */
  'invalid_event',
  /** A pending Redis entry was trimmed from the stream (MAXLEN) before it was acknowledged. */
  'entry_deleted',
] as const;

export type PoisonReason = (typeof POISON_REASONS)[number];

/** Outcome of decoding one bus message. */
export type DecodeOutcome<T> = { ok: true; value: T } | { ok: false; reason: PoisonReason; message: string };
