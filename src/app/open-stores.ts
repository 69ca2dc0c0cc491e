import { join } from 'node:path';
import type { Settings } from '../config/schema.js';
import type { LocalIdentityStore } from '../identity/local-store-port.js';
import { createSqlLocalStore } from '../identity/sql-local-store.js';
import { openSqliteLocalStore } from '../identity/sqlite-local-store.js';
import type { DeliveryQueue, QueueLimits } from '../queue/port.js';
import { openControlPlaneDatabase, type ControlPlaneDatabase } from '../storage/database.js';
import { isPostgresUrl } from '../storage/database-url.js';
import type { RouterStore } from '../storage/router-store.js';
import { createSqlRouterStore } from '../storage/sql-router-store.js';
import { openDeliveryQueue } from '../queue/open-delivery-queue.js';

/** The SQLite outbox of the embedded default, beside the control-plane file. */
export const OUTBOX_FILE = 'outbox.sqlite';

export type StoreSettings = Pick<Settings, 'DATABASE_URL' | 'EVENT_ROUTER_DATA_DIR' | 'EVENT_ROUTER_SECRET_KEY'>;

export interface StoresOptions {
  readonly queue?: QueueLimits & {
    /** SQLite only: default `<data dir>/outbox.sqlite`. */
    readonly sqlitePath?: string;
    /** SQLite only: see SqliteQueueOptions; default `full`. */
    readonly synchronous?: 'full' | 'normal';
    /** PostgreSQL only: connections of the outbox pool; default 8. */
    readonly poolSize?: number;
  };
  /** PostgreSQL only: connections of the control-plane pool (routers, identities); default 4. */
  readonly controlPlanePoolSize?: number;
  /** PostgreSQL only: an idle pooled connection failed (logged; the next query reconnects). */
  readonly onPoolError?: (error: Error) => void;
}

/** Everything `serve` keeps, on SQLite (data directory) or on PostgreSQL (DATABASE_URL). */
export interface Stores {
  readonly dialect: 'sqlite' | 'postgres';
  /** The SQLite file or the PostgreSQL URL without its password, for the startup log. */
  readonly location: string;
  /** True when this start created the encryption key file. */
  readonly keyCreated: boolean;
  readonly database: ControlPlaneDatabase;
  readonly routers: RouterStore;
  /** The ids the router keeps (minted or imported), for `createIdentityFromSettings(…, { store })`. */
  readonly identities: LocalIdentityStore;
  readonly queue: DeliveryQueue;
  /** Closes the queue, the identity store and the database, in that order. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens every store by DATABASE_URL: unset, the SQLite files of the data directory; a
 * postgres:// URL, PostgreSQL, where several instances share routers, outbox and identities.
 */
export async function openStores(settings: StoreSettings, options: StoresOptions = {}): Promise<Stores> {
  const database = await openControlPlaneDatabase({
    dataDir: settings.EVENT_ROUTER_DATA_DIR,
    secretKey: settings.EVENT_ROUTER_SECRET_KEY,
    databaseUrl: settings.DATABASE_URL,
    ...(options.controlPlanePoolSize !== undefined ? { poolSize: options.controlPlanePoolSize } : {}),
    ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
  });
  const routers = createSqlRouterStore(database);
  const opened: Array<{ close(): unknown }> = [];
  try {
    const parts = isPostgresUrl(settings.DATABASE_URL)
      ? await openPostgresParts(settings.DATABASE_URL, database, options)
      : await openSqliteParts(settings.EVENT_ROUTER_DATA_DIR, options, opened);
    let closing: Promise<void> | undefined;
    return {
      dialect: database.dialect,
      location: database.path,
      keyCreated: database.keyCreated,
      database,
      routers,
      ...parts,
      close() {
        closing ??= (async () => {
          await parts.queue.close();
          await parts.identities.close();
          await routers.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const part of opened.reverse()) await part.close();
    await routers.close();
    throw error;
  }
}

type Parts = Pick<Stores, 'identities' | 'queue'>;

async function openPostgresParts(url: string, database: ControlPlaneDatabase, options: StoresOptions): Promise<Parts> {
  const { sqlitePath: _path, synchronous: _sync, ...queue } = options.queue ?? {};
  return {
    // The control plane's pool: identity lookups are few (the resolver caches).
    identities: createSqlLocalStore(database.db),
    queue: await openDeliveryQueue({
      ...queue,
      databaseUrl: url,
      sqlitePath: '',
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
    }),
  };
}

async function openSqliteParts(dataDir: string, options: StoresOptions, opened: Array<{ close(): unknown }>): Promise<Parts> {
  const { sqlitePath, poolSize: _pool, ...queue } = options.queue ?? {};
  const identities = openSqliteLocalStore(dataDir);
  opened.push(identities);
  // This process owns the file: leases a killed predecessor left come back at once.
  const deliveryQueue = await openDeliveryQueue({ ...queue, sqlitePath: sqlitePath ?? join(dataDir, OUTBOX_FILE), recoverLeasesOnOpen: true });
  return { identities, queue: deliveryQueue };
}
