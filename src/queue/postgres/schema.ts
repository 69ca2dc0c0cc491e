import type pg from 'pg';
import type { Kysely } from 'kysely';
import { legacyPostgresVersion, migratePostgresPool, runScript } from '../../storage/postgres-migrations.js';
import type { MigrationSet } from '../../storage/run-migrations.js';

/**
 * The PostgreSQL outbox: the tables and columns of the SQLite outbox (src/queue/sqlite/schema.ts,
 * same version numbers), plus `lease_token`, which says whose lease a row is under. The DDL is
 * per engine because the depth triggers and the autovacuum settings are.
 *
 * `outbox_depth` is kept by statement-level triggers (one depth update per router and statement,
 * not per row), in router order, so that two transactions never lock depth rows in opposite
 * orders. The overflow check then reads one small row per router instead of counting the outbox,
 * and stays right whoever changes the table (another instance, an operator in psql).
 */
const SCHEMA_V1 = `
CREATE TABLE outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  router_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT,
  business_critical SMALLINT NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  enqueued_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  lease_token TEXT,
  last_error TEXT,
  first_failed_at BIGINT
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);
-- fillfactor: a lease or a retry rewrites the row; room on the page keeps that a HOT update.
-- The scale factors: rows are inserted and deleted all day; vacuum early so scans stay short.
CREATE INDEX outbox_by_router ON outbox (router_id, seq);

CREATE TABLE outbox_depth (
  router_id TEXT PRIMARY KEY,
  depth BIGINT NOT NULL
);

CREATE FUNCTION outbox_depth_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  FOR r IN SELECT router_id, count(*) AS n FROM added GROUP BY router_id ORDER BY router_id LOOP
    INSERT INTO outbox_depth (router_id, depth) VALUES (r.router_id, r.n)
      ON CONFLICT (router_id) DO UPDATE SET depth = outbox_depth.depth + EXCLUDED.depth;
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION outbox_depth_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  FOR r IN SELECT router_id, count(*) AS n FROM removed GROUP BY router_id ORDER BY router_id LOOP
    UPDATE outbox_depth SET depth = depth - r.n WHERE router_id = r.router_id;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER outbox_depth_insert AFTER INSERT ON outbox
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION outbox_depth_added();
CREATE TRIGGER outbox_depth_delete AFTER DELETE ON outbox
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION outbox_depth_removed();

CREATE TABLE dead_letters (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  router_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT,
  business_critical SMALLINT NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  enqueued_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT,
  first_failed_at BIGINT,
  reason TEXT NOT NULL,
  response TEXT,
  dead_at BIGINT NOT NULL
);
CREATE INDEX dead_letters_by_router ON dead_letters (router_id, id);
`;

export const SCHEMA_VERSION = 1;

/**
 * A database an earlier release created records its version in `outbox_schema`; there the
 * tables exist already and the first migration passes over them.
 */
const outboxMigrations: MigrationSet = {
  name: 'outbox',
  table: 'outbox',
  migrations: {
    '0001_outbox': {
      async up(db: Kysely<unknown>) {
        if ((await legacyPostgresVersion(db, 'outbox_schema')) >= 1) return;
        await runScript(db, SCHEMA_V1);
      },
    },
  },
};

/** Creates or checks the schema; refuses a database written by a newer version. */
export function migrateOutbox(pool: pg.Pool): Promise<void> {
  return migratePostgresPool(pool, outboxMigrations);
}
