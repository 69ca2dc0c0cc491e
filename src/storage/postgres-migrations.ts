import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { createPostgresPool, type PostgresPoolOptions } from './postgres-pool.js';
import { runMigrations, type MigrationSet } from './run-migrations.js';

/**
 * Runs a schema's migrations on the pg pool its store keeps (the outbox, the inbox), through
 * Kysely's Migrator like every other schema: one transaction, under Kysely's advisory lock, so
 * that instances starting together create the tables once.
 */
export async function migratePostgresPool(pool: pg.Pool, set: MigrationSet): Promise<void> {
  // Not destroyed afterwards: that would end the pool, which the store goes on using.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  await runMigrations(db, 'postgres', set);
}

/** A store's own pool with its migrations run; ended again when they fail. */
export async function openMigratedPostgresPool(options: PostgresPoolOptions, set: MigrationSet): Promise<pg.Pool> {
  const pool = createPostgresPool(options);
  try {
    await migratePostgresPool(pool, set);
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * The version an earlier release recorded in its own table (`<name>_schema`, one row per version
 * applied), 0 when there is none: its tables exist, and the migration of that version must not
 * create them again. Looks before reading, as that release did: a user that may only read and
 * write has no right to create.
 */
export async function legacyPostgresVersion(db: Kysely<unknown>, versionTable: string): Promise<number> {
  const { rows: found } = await sql<{ present: boolean }>`SELECT to_regclass(${versionTable}) IS NOT NULL AS present`.execute(db);
  if (!found[0]?.present) return 0;
  const { rows } = await sql<{ version: number | null }>`SELECT max(version) AS version FROM ${sql.table(versionTable)}`.execute(db);
  return rows[0]?.version ?? 0;
}

/** A script of several statements (DDL with functions and triggers), as one query. */
export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  // Without parameters pg sends it as a simple query, which may hold many statements.
  await sql.raw(script).execute(db);
}
