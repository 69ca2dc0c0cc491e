import { isDeadLetterReason } from '../../delivery/dead-letter-reason.js';
import type { CapturedResponse, DeadLetter, LeasedItem, QueueItem } from '../port.js';

/** A row of `outbox` as better-sqlite3 returns it. */
export interface OutboxRow {
  seq: number;
  router_id: string;
  event_id: string;
  event_name: string | null;
  business_critical: number;
  payload: string;
  enqueued_at: number;
  attempts: number;
  next_attempt_at: number;
  lease_until: number;
  last_error: string | null;
  first_failed_at: number | null;
}

export interface DeadLetterRow extends Omit<OutboxRow, 'seq' | 'next_attempt_at' | 'lease_until'> {
  id: number;
  reason: string;
  response: string | null;
  dead_at: number;
}

function toQueueItem(row: Omit<OutboxRow, 'seq' | 'lease_until'>, id: number): QueueItem {
  return {
    id: String(id),
    routerId: row.router_id,
    eventId: row.event_id,
    eventName: row.event_name,
    businessCritical: row.business_critical !== 0,
    payload: JSON.parse(row.payload) as unknown,
    enqueuedAt: row.enqueued_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    firstFailedAt: row.first_failed_at,
  };
}

/**
 * A leased item with its stored JSON text: delivery builds request bodies from `payloadJson`, so
 * `payload` is parsed only when something reads it (override_args, a test).
 */
export function toLeasedItem(row: Omit<OutboxRow, 'lease_until'>, leaseUntil: number): LeasedItem {
  const json = row.payload;
  let parsed: { value: unknown } | undefined;
  return {
    id: String(row.seq),
    routerId: row.router_id,
    eventId: row.event_id,
    eventName: row.event_name,
    businessCritical: row.business_critical !== 0,
    get payload(): unknown {
      parsed ??= { value: JSON.parse(json) as unknown };
      return parsed.value;
    },
    payloadJson: json,
    enqueuedAt: row.enqueued_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    firstFailedAt: row.first_failed_at,
    leaseUntil,
  };
}

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const item = toQueueItem({ ...row, next_attempt_at: row.dead_at }, row.id);
  return {
    ...item,
    // A reason written by a newer build still lists; it is shown as the closest known one.
    reason: isDeadLetterReason(row.reason) ? row.reason : 'lrs_rejected',
    response: row.response === null ? null : (JSON.parse(row.response) as CapturedResponse),
    deadAt: row.dead_at,
  };
}
