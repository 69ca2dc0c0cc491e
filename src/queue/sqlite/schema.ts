import type { Database } from 'better-sqlite3';

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

export const SCHEMA_VERSION = 1;

/** Creates or checks the schema; refuses a file written by a newer version. */
export function migrate(db: Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`outbox schema version ${version} is newer than this build supports (${SCHEMA_VERSION})`);
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      db.exec(SCHEMA_V1);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }
}
