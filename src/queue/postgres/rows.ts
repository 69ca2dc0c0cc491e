import { isDeadLetterReason } from '../../core/dead-letter-reason.js';
import { JsonPayload } from '../json-payload.js';
import type { CapturedResponse, DeadLetter, LeasedItem, QueueItem } from '../port.js';

/**
 * Rows as pg returns them: BIGINT columns arrive as strings (pg does not guess at precision).
 * Epoch milliseconds and sequence numbers stay far below 2^53, so Number() is exact.
 */
type Int8 = string | number;

export interface PgOutboxRow {
  seq: Int8;
  router_id: string;
  event_id: string;
  event_name: string | null;
  business_critical: number;
  payload: string;
  enqueued_at: Int8;
  attempts: number;
  next_attempt_at: Int8;
  lease_until: Int8;
  last_error: string | null;
  first_failed_at: Int8 | null;
}

export interface PgDeadLetterRow extends Omit<PgOutboxRow, 'seq' | 'next_attempt_at' | 'lease_until'> {
  id: Int8;
  reason: string;
  response: string | null;
  dead_at: Int8;
}

const int = (value: Int8): number => Number(value);
const intOrNull = (value: Int8 | null): number | null => (value === null ? null : Number(value));

function toQueueItem(row: Omit<PgOutboxRow, 'seq' | 'lease_until'>, id: Int8): QueueItem {
  return {
    id: String(id),
    routerId: row.router_id,
    eventId: row.event_id,
    eventName: row.event_name,
    businessCritical: row.business_critical !== 0,
    payload: JsonPayload.fromText(row.payload),
    enqueuedAt: int(row.enqueued_at),
    attempts: row.attempts,
    nextAttemptAt: int(row.next_attempt_at),
    lastError: row.last_error,
    firstFailedAt: intOrNull(row.first_failed_at),
  };
}

export function toLeasedItem(row: PgOutboxRow): LeasedItem {
  return { ...toQueueItem(row, row.seq), leaseUntil: int(row.lease_until) };
}

export function toDeadLetter(row: PgDeadLetterRow): DeadLetter {
  return {
    ...toQueueItem({ ...row, next_attempt_at: row.dead_at }, row.id),
    // A reason written by a newer build still lists; it is shown as the closest known one.
    reason: isDeadLetterReason(row.reason) ? row.reason : 'lrs_rejected',
    response: row.response === null ? null : (JSON.parse(row.response) as CapturedResponse),
    deadAt: int(row.dead_at),
  };
}

/** Queue ids are decimal `seq`s; anything else names no row (and must not reach a bigint cast). */
export function toSeq(id: string): string | undefined {
  return /^[0-9]{1,18}$/.test(id) ? id : undefined;
}
