import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { preparePrivateSqliteFile } from './private-files.js';
import { runMigrations, type MigrationSet } from './run-migrations.js';
import { useWriteAheadLog } from './sqlite-wal.js';

/**
 * Runs a schema's migrations on a better-sqlite3 connection its store keeps (the outbox, the
 * inbox), through Kysely's Migrator like every other schema. In one IMMEDIATE transaction, so
 * that the threads and processes opening the file at once take turns (Kysely locks nothing on
 * SQLite). The migrations get the connection itself: better-sqlite3 runs a script of several
 * statements only through `exec`.
 */
export async function migrateSqliteConnection(connection: Database.Database, set: (connection: Database.Database) => MigrationSet): Promise<void> {
  // Not destroyed afterwards: that would close the connection, which the store goes on using.
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: connection }) });
  connection.exec('BEGIN IMMEDIATE');
  try {
    await runMigrations(db, 'sqlite', set(connection));
    connection.exec('COMMIT');
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    throw error;
  }
}

export interface SqliteFileOptions {
  /** `full` fsyncs every commit; `normal` survives kill -9 but not a power cut. Default `full`. */
  readonly synchronous?: 'full' | 'normal' | undefined;
  readonly busyTimeoutMs?: number | undefined;
}

/**
 * A store's own connection to a SQLite file of the data directory: private file, write-ahead
 * log, its migrations run. Closed again when they fail.
 */
export async function openMigratedSqlite(
  path: string,
  options: SqliteFileOptions,
  set: (connection: Database.Database) => MigrationSet,
): Promise<Database.Database> {
  preparePrivateSqliteFile(path);
  const connection = new Database(path);
  try {
    useWriteAheadLog(connection);
    connection.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    connection.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    await migrateSqliteConnection(connection, set);
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}
