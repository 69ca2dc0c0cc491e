import type { Database } from 'better-sqlite3';
import type { MigrationSet } from '../../storage/run-migrations.js';

/**
 * Schema of the SQLite outbox. `seq` is the queue order; a retry updates the row in place so
 * an item keeps its place. `outbox_depth` is kept by triggers so that the depth check on every
 * enqueue reads one small row per router instead of counting the outbox, and stays right when
 * another process (the CLI) changes the file.
 */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  router_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT,
  business_critical INTEGER NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  first_failed_at INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_by_router ON outbox (router_id, seq);

CREATE TABLE IF NOT EXISTS outbox_depth (
  router_id TEXT PRIMARY KEY,
  depth INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS outbox_depth_insert AFTER INSERT ON outbox BEGIN
  INSERT INTO outbox_depth (router_id, depth) VALUES (NEW.router_id, 1)
    ON CONFLICT (router_id) DO UPDATE SET depth = depth + 1;
END;
CREATE TRIGGER IF NOT EXISTS outbox_depth_delete AFTER DELETE ON outbox BEGIN
  UPDATE outbox_depth SET depth = depth - 1 WHERE router_id = OLD.router_id;
END;

CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  router_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT,
  business_critical INTEGER NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT,
  first_failed_at INTEGER,
  reason TEXT NOT NULL,
  response TEXT,
  dead_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_by_router ON dead_letters (router_id, id);
`;

/** The migrations of an outbox file, run on the connection that will use it. */
export function sqliteOutboxMigrations(connection: Database): MigrationSet {
  return {
    name: 'outbox',
    table: 'outbox',
    migrations: {
      // IF NOT EXISTS throughout: a file an earlier release created (version 1 in `user_version`,
      // no migration table) has these tables already.
      '0001_outbox': {
        up: async () => {
          connection.exec(SCHEMA_V1);
        },
      },
    },
  };
}
