import { existsSync } from 'node:fs';
import { servicePaths } from '../app/service-paths.js';
import type { Settings } from '../config/schema.js';
import type { DeliveryQueue } from '../queue/port.js';

/**
 * The outbox the settings name, opened by a CLI command beside a possibly running service:
 * PostgreSQL when DATABASE_URL is set, else the data directory's SQLite file, or undefined when
 * that file does not exist (serve never ran there, so nothing was ever queued).
 */
export async function openCliOutbox(settings: Settings): Promise<DeliveryQueue | undefined> {
  const path = servicePaths(settings.EVENT_ROUTER_DATA_DIR).outbox;
  if (settings.DATABASE_URL === undefined && !existsSync(path)) return undefined;
  const { openDeliveryQueue } = await import('../queue/open-delivery-queue.js');
  // A running service owns the leases: never release them from here.
  return openDeliveryQueue({
    databaseUrl: settings.DATABASE_URL,
    sqlitePath: path,
    recoverLeasesOnOpen: false,
    maxDepth: settings.EVENT_ROUTER_OUTBOX_MAX_DEPTH,
    poolSize: 1,
  });
}
