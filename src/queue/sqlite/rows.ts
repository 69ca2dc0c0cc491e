import { isDeadLetterReason } from '../../core/dead-letter-reason.js';
import { JsonPayload } from '../json-payload.js';
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
    payload: JsonPayload.fromText(row.payload),
    enqueuedAt: row.enqueued_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    firstFailedAt: row.first_failed_at,
  };
}

/** An outbox row as a lease reads it (the lease time is the new one, not the row's). */
export type LeaseRow = Omit<OutboxRow, 'lease_until'>;

/** A leased item with its stored JSON text, from which delivery builds request bodies. */
export class SqliteLeasedItem implements LeasedItem {
  readonly id: string;
  readonly routerId: string;
  readonly eventId: string;
  readonly eventName: string | null;
  readonly businessCritical: boolean;
  readonly enqueuedAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly firstFailedAt: number | null;
  readonly payload: JsonPayload;

  constructor(
    row: LeaseRow,
    readonly leaseUntil: number,
  ) {
    this.id = String(row.seq);
    this.routerId = row.router_id;
    this.eventId = row.event_id;
    this.eventName = row.event_name;
    this.businessCritical = row.business_critical !== 0;
    this.enqueuedAt = row.enqueued_at;
    this.attempts = row.attempts;
    this.nextAttemptAt = row.next_attempt_at;
    this.lastError = row.last_error;
    this.firstFailedAt = row.first_failed_at;
    this.payload = JsonPayload.fromText(row.payload);
  }
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
