import mysql from 'mysql2/promise';
import type { LmsDatabaseOptions } from '../settings.js';

/** A row as mysql2 returns it. */
export type Row = Record<string, unknown>;

/**
 * A read-only handle on edx-platform's MySQL database. Only SELECT statements pass, and every
 * connection is put in a read-only session, so a bug here can never write to the LMS.
 */
export interface LmsDatabase {
  select(sql: string, values: readonly unknown[]): Promise<Row[]>;
  /** Idempotent; shared by the user and course providers. */
  close(): Promise<void>;
}

/** Most values in one `IN (…)` list; longer lists are split into several queries. */
export const MAX_IN_LIST = 500;

/** A pool on edx-platform's database with `connectionLimit` connections (the reader's, the id writer's). */
export function createLmsPool(options: LmsDatabaseOptions, connectionLimit: number): mysql.Pool {
  return mysql.createPool({
    uri: options.url,
    connectionLimit,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    waitForConnections: true,
    queueLimit: 0,
    enableKeepAlive: true,
    // auth_user.id etc. are ints; course keys and names are text. No date parsing needed.
    dateStrings: true,
    supportBigNumbers: true,
  });
}

export function createLmsDatabase(options: LmsDatabaseOptions): LmsDatabase {
  const pool = createLmsPool(options, options.poolSize ?? 4);
  pool.pool.on('connection', (connection) => {
    // Defence in depth: the router only reads (the read-only requirement).
    // Queued before any of our queries on this connection; a server without it just ignores the error.
    connection.query('SET SESSION TRANSACTION READ ONLY', () => undefined);
  });
  const timeout = options.queryTimeoutMs ?? 10_000;
  let closing: Promise<void> | undefined;
  return {
    async select(sql, values) {
      if (!/^\s*SELECT\s/i.test(sql)) throw new Error('only SELECT statements may be sent to the LMS database');
      const [rows] = await pool.query({ sql, timeout }, values as unknown[]);
      return rows as Row[];
    },
    close() {
      closing ??= pool.end().catch(() => undefined);
      return closing;
    },
  };
}

/** Runs `query` on chunks of at most MAX_IN_LIST values and concatenates the rows. */
export async function selectChunked<V>(values: readonly V[], query: (chunk: readonly V[]) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = 0; start < values.length; start += MAX_IN_LIST) {
    rows.push(...(await query(values.slice(start, start + MAX_IN_LIST))));
  }
  return rows;
}

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
