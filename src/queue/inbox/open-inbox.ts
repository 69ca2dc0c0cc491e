import { isPostgresUrl } from '../../storage/database-url.js';
import type { EventInbox } from './port.js';

export interface OpenInboxOptions {
  /** DATABASE_URL: a postgres:// URL opens the inbox shared by every instance. */
  readonly databaseUrl?: string | undefined;
  /** SQLite: the inbox file (`<data dir>/inbox.sqlite`). */
  readonly sqlitePath: string;
  readonly maxDepth: number;
  /** SQLite only (EVENT_ROUTER_SQLITE_SYNCHRONOUS). */
  readonly synchronous?: 'full' | 'normal';
  /** PostgreSQL only (EVENT_ROUTER_INBOX_LEASE): how long a pipeline holds the events it took, ms. */
  readonly leaseMs?: number;
  readonly onPoolError?: (error: Error) => void;
}

/** The inbox DATABASE_URL names: PostgreSQL, or the SQLite file of the embedded default. */
export async function openEventInbox(options: OpenInboxOptions): Promise<EventInbox> {
  if (isPostgresUrl(options.databaseUrl)) {
    // Loaded only when asked for, so the embedded default never loads pg.
    const { openPostgresInbox } = await import('./postgres-inbox.js');
    return openPostgresInbox({
      connectionString: options.databaseUrl,
      maxDepth: options.maxDepth,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
    });
  }
  const { openSqliteInbox } = await import('./sqlite-inbox.js');
  return openSqliteInbox({
    path: options.sqlitePath,
    maxDepth: options.maxDepth,
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
  });
}
