import pg from 'pg';

export interface PostgresPoolOptions {
  readonly connectionString: string;
  /** Connections at most. */
  readonly max: number;
  /** Shown in pg_stat_activity, so an operator can tell the pools apart. */
  readonly applicationName: string;
  /** An idle connection failed (server restart, network); the next query reconnects. */
  readonly onError?: (error: Error) => void;
}

/**
 * A pg pool with the settings every component uses. Without an `error` listener, a connection
 * that dies while idle would crash the process (an unhandled 'error' event), so one is always set.
 */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
    max: options.max,
    application_name: options.applicationName,
    // Fail instead of waiting forever when the server is down or the pool is exhausted.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A peer that vanished (instance killed, network cut) is noticed by TCP, not only on the next query.
    keepAlive: true,
  });
  pool.on('error', options.onError ?? (() => undefined));
  return pool;
}

const INT8_OID = 20;

/**
 * BIGINT as a number, as SQLite gives it: our BIGINTs are epoch milliseconds, sequence numbers,
 * user ids and counts, all far below 2^53. pg's default (a string) would leak into every row type.
 */
function typeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return (text: string) => Number(text);
  return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
}
