import { join } from 'node:path';
import { OUTBOX_FILE } from './open-stores.js';

/** Files of the embedded default beside the control-plane database (storage/data-dir.ts). */
export const INBOX_FILE = 'inbox.sqlite';

export interface ServicePaths {
  /** Accepted raw events waiting for the pipeline (src/queue/inbox/). */
  readonly inbox: string;
  /** Statements waiting for delivery, and dead letters (src/queue/sqlite), unless DATABASE_URL names PostgreSQL. */
  readonly outbox: string;
}

export function servicePaths(dataDir: string): ServicePaths {
  return { inbox: join(dataDir, INBOX_FILE), outbox: join(dataDir, OUTBOX_FILE) };
}
