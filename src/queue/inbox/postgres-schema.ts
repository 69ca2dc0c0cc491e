import type { Kysely } from 'kysely';
import { legacyPostgresVersion, runScript } from '../../storage/postgres-migrations.js';
import type { MigrationSet } from '../../storage/run-migrations.js';
import { FOLLOW_POSITIONS } from './sqlite-schema.js';

/**
 * The PostgreSQL inbox: the tables and columns of the SQLite inbox (sqlite-schema.ts, same
 * migration names), plus `lease_until` and `lease_token`. On SQLite each instance owns its inbox
 * file; on PostgreSQL the instances share one inbox, so a pipeline leases the events it takes
 * (SKIP LOCKED, as the outbox does) and the events of an instance that died go to another once
 * the lease ends.
 *
 * `inbox_depth` is kept by statement-level triggers (one update per statement, not per row), so
 * the bound check on every append reads one row, whoever changed the table.
 */
const INBOX = `
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
`;

/** Poison bus messages (../bus-dead-letters/), kept in the inbox's database since the first release. */
const BUS_DEAD_LETTERS = `
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

/**
 * A database an earlier release created records its versions in `inbox_schema` (1: inbox and
 * bus dead letters, 2: follow positions); a step it applied already is passed over.
 */
const step = (script: string, legacyVersion: number) => ({
  async up(db: Kysely<unknown>) {
    if ((await legacyPostgresVersion(db, 'inbox_schema')) >= legacyVersion) return;
    await runScript(db, script);
  },
});

export const postgresInboxMigrations: MigrationSet = {
  name: 'inbox',
  table: 'inbox',
  migrations: {
    '0001_inbox': step(INBOX, 1),
    '0002_follow_positions': step(FOLLOW_POSITIONS, 2),
    '0003_bus_dead_letters': step(BUS_DEAD_LETTERS, 1),
  },
};
