import type { AppendOutcome, InboxInput } from '../../pipeline/inbox.js';

/**
 * How far a followed file has been read: the file's identity (device and inode, as decimal
 * strings: inodes may exceed 2^53) and the byte offset just past the last line stored.
 */
export interface ReadPosition {
  /** The followed path as configured (resolved to an absolute path). */
  readonly path: string;
  readonly dev: string;
  readonly ino: string;
  readonly offset: number;
}

/**
 * The port the follower stores through: the inbox's append, with the read position committed in
 * the same transaction as the events (so a crash loses or repeats nothing beyond the chunk in
 * hand), and the positions committed so far. Both inboxes (SQLite and PostgreSQL) implement it.
 */
export interface ReadPositionStore {
  append(inputs: readonly InboxInput[], position?: ReadPosition): Promise<AppendOutcome>;
  readPositions(): Promise<ReadPosition[]>;
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
