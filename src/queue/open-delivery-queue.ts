import type { DeliveryQueue, QueueLimits } from './port.js';
import { isPostgresUrl } from '../storage/database-url.js';

export interface OpenDeliveryQueueOptions extends QueueLimits {
  /** DATABASE_URL: a postgres:// URL opens the shared PostgreSQL outbox. */
  readonly databaseUrl?: string | undefined;
  /** SQLite: the outbox file (`<data dir>/outbox.sqlite`). */
  readonly sqlitePath: string;
  /** SQLite only (EVENT_ROUTER_SQLITE_SYNCHRONOUS); PostgreSQL commits durably by itself. */
  readonly synchronous?: 'full' | 'normal';
  /**
   * SQLite only: return leases left by a killed process on open (the process owning delivery).
   * Ignored on PostgreSQL, where other live instances hold leases: there they only expire.
   */
  readonly recoverLeasesOnOpen?: boolean;
  /** PostgreSQL only: connections of the outbox pool; default 8. */
  readonly poolSize?: number;
  readonly onPoolError?: (error: Error) => void;
  /** Clock in epoch ms (tests). */
  readonly now?: () => number;
}

/** The outbox DATABASE_URL names: PostgreSQL, or the SQLite file of the embedded default. */
export async function openDeliveryQueue(options: OpenDeliveryQueueOptions): Promise<DeliveryQueue> {
  const limits: QueueLimits = {
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.maxDepthPerRouter !== undefined ? { maxDepthPerRouter: options.maxDepthPerRouter } : {}),
  };
  const clock = options.now ? { now: options.now } : {};
  if (isPostgresUrl(options.databaseUrl)) {
    // Loaded only when asked for, so the embedded default never loads pg.
    const { createPostgresQueue } = await import('./postgres/postgres-queue.js');
    return createPostgresQueue({
      ...limits,
      ...clock,
      connectionString: options.databaseUrl,
      ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
    });
  }
  const { createSqliteQueue } = await import('./sqlite/sqlite-queue.js');
  return createSqliteQueue({
    ...limits,
    ...clock,
    path: options.sqlitePath,
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    ...(options.recoverLeasesOnOpen !== undefined ? { recoverLeasesOnOpen: options.recoverLeasesOnOpen } : {}),
  });
}
