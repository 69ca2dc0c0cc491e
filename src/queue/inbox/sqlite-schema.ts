import type Database from 'better-sqlite3';
import type { MigrationSet } from '../../storage/run-migrations.js';

/**
 * The inbox file's tables: accepted raw events waiting for the pipeline. `seq` is the order of
 * acceptance. A deferred event (identity unavailable) gets `next_attempt_at > 0`; the partial
 * index keeps those findable without slowing down inserts of fresh events. `inbox_depth` is kept
 * by triggers so the bound check on every append reads one row, also when another thread or
 * process changed the file. `source_id` deduplicates bus redeliveries while the event is queued.
 *
 * Every statement is IF NOT EXISTS: a file an earlier release created (its version in
 * `user_version`, no migration table) has these tables already, and the migrations pass over them.
 */
const INBOX = `
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  body TEXT NOT NULL,
  source_id TEXT,
  received_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS inbox_source_id ON inbox (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbox_deferred ON inbox (next_attempt_at) WHERE next_attempt_at > 0;

CREATE TABLE IF NOT EXISTS inbox_depth (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  depth INTEGER NOT NULL
);
INSERT OR IGNORE INTO inbox_depth (id, depth) VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS inbox_depth_insert AFTER INSERT ON inbox BEGIN
  UPDATE inbox_depth SET depth = depth + 1 WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS inbox_depth_delete AFTER DELETE ON inbox BEGIN
  UPDATE inbox_depth SET depth = depth - 1 WHERE id = 1;
END;
`;

/**
 * The file follower's read positions (src/sources/follower/), one row per followed path, written
 * in the transaction that stores the lines read up to `byte_offset`. Same DDL on both engines.
 */
export const FOLLOW_POSITIONS = `
CREATE TABLE IF NOT EXISTS follow_positions (
  path TEXT PRIMARY KEY,
  dev TEXT NOT NULL,
  ino TEXT NOT NULL,
  byte_offset BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;

/** Poison bus messages (../bus-dead-letters/), kept in the inbox's database since the first release. */
const BUS_DEAD_LETTERS = `
CREATE TABLE IF NOT EXISTS bus_dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  fields TEXT NOT NULL,
  bytes BLOB NOT NULL,
  dead_at INTEGER NOT NULL
);
`;

/** The migrations of an inbox file, run on the connection that will use it. */
export function sqliteInboxMigrations(connection: Database.Database): MigrationSet {
  const step = (script: string) => ({
    up: async () => {
      connection.exec(script);
    },
  });
  return {
    name: 'inbox',
    table: 'inbox',
    migrations: {
      '0001_inbox': step(INBOX),
      '0002_follow_positions': step(FOLLOW_POSITIONS),
      '0003_bus_dead_letters': step(BUS_DEAD_LETTERS),
    },
  };
}
