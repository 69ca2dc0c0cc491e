import type pg from 'pg';
import { migrateVersionedSchema } from '../storage/postgres-versioned-schema.js';
import { FOLLOW_POSITIONS_V2 } from './inbox-schema.js';

/**
 * The PostgreSQL inbox: the tables and columns of the SQLite inbox (inbox-schema.ts, same version
 * numbers), plus `lease_until` and `lease_token`. On SQLite each instance owns its inbox file; on
 * PostgreSQL the instances share one inbox, so a pipeline leases the events it takes (SKIP LOCKED,
 * as the outbox does) and the events of an instance that died go to another once the lease ends.
 *
 * `inbox_depth` is kept by statement-level triggers (one update per statement, not per row), so
 * the bound check on every append reads one row, whoever changed the table.
 */
const SCHEMA_V1 = `
CREATE TABLE inbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body TEXT NOT NULL,
  source_id TEXT UNIQUE,
  received_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0,
  lease_token TEXT
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);
-- As for the outbox: a lease rewrites the row (HOT update with room on the page); rows come and go all day.
CREATE INDEX inbox_deferred ON inbox (next_attempt_at) WHERE next_attempt_at > 0;

CREATE TABLE inbox_depth (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  depth BIGINT NOT NULL
);
INSERT INTO inbox_depth (id, depth) VALUES (1, 0);

CREATE FUNCTION inbox_depth_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n BIGINT;
BEGIN
  SELECT count(*) INTO n FROM added;
  IF n > 0 THEN UPDATE inbox_depth SET depth = depth + n WHERE id = 1; END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION inbox_depth_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n BIGINT;
BEGIN
  SELECT count(*) INTO n FROM removed;
  IF n > 0 THEN UPDATE inbox_depth SET depth = depth - n WHERE id = 1; END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER inbox_depth_insert AFTER INSERT ON inbox
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION inbox_depth_added();
CREATE TRIGGER inbox_depth_delete AFTER DELETE ON inbox
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION inbox_depth_removed();

CREATE TABLE bus_dead_letters (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  fields TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  dead_at BIGINT NOT NULL
);
`;

/** Any constant (not the outbox's): one instance at a time creates or upgrades the inbox tables. */
const MIGRATION_LOCK = 7_305_117_002;

/** Creates or checks the schema; refuses a database written by a newer version. */
export function migratePostgresInbox(pool: pg.Pool): Promise<void> {
  return migrateVersionedSchema(pool, { name: 'inbox', versionTable: 'inbox_schema', lock: MIGRATION_LOCK, steps: [SCHEMA_V1, FOLLOW_POSITIONS_V2] });
}
