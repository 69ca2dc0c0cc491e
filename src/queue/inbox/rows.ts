import type { InboxEntry, ReadPosition } from './port.js';

/** An inbox row as both engines return it (BIGINTs as numbers: src/storage/postgres-pool.ts). */
export interface InboxRow {
  seq: number;
  body: string;
  attempts: number;
  received_at: number;
}

export function toInboxEntry(row: InboxRow): InboxEntry {
  return { seq: row.seq, body: row.body, attempts: row.attempts, receivedAt: row.received_at };
}

/** A database row of `follow_positions` (both engines). */
export interface ReadPositionRow {
  path: string;
  dev: string;
  ino: string;
  byte_offset: number | string;
}

export function toReadPosition(row: ReadPositionRow): ReadPosition {
  return { path: row.path, dev: row.dev, ino: row.ino, offset: Number(row.byte_offset) };
}
