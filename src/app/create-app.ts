import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { registerAdminApi } from '../admin/server.js';
import type { Settings } from '../config/schema.js';
import { resolveAdminToken, type AdminToken } from '../storage/data-dir.js';
import { openControlPlaneDatabase } from '../storage/database.js';
import { SqliteIdentityStore } from '../storage/identity-store.js';
import type { RouterStore } from '../storage/router-store.js';
import { createSqlRouterStore } from '../storage/sql-router-store.js';
import type { Lookups } from '../transforms/shared/lookups.js';
import { createLogger } from './logger.js';
import { buildLookups, identityStoreOptions } from './lookups.js';

/**
 * The composition root of `serve`: builds every long-lived component from the settings and
 * owns their lifecycle. Today that is the control plane (store, identity, admin API); ingest
 * and delivery are added here, started in `start()` and stopped in `stop()` in reverse order.
 */
export interface App {
  /** Listens on EVENT_ROUTER_HOST:EVENT_ROUTER_PORT; resolves with the base URL. */
  start(): Promise<string>;
  /** Idempotent: closes the server, then the stores. */
  stop(): Promise<void>;
  /** `http://host:port` once started. */
  readonly url: string | undefined;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly routers: RouterStore;
  /** Identity and course-name lookups for the transformers (lookups file + local identity store). */
  readonly lookups: Lookups;
  /** The admin token and whether it was generated just now (show it once). */
  readonly adminToken: AdminToken;
  /** True when this start created the encryption key file. */
  readonly keyCreated: boolean;
  readonly server: FastifyInstance;
}

export interface AppOptions {
  /** Where log lines go; stdout by default. Tests capture them here. */
  readonly logDestination?: DestinationStream;
}

export async function createApp(settings: Settings, options: AppOptions = {}): Promise<App> {
  const logger = createLogger(settings, options.logDestination);
  const dataDir = settings.EVENT_ROUTER_DATA_DIR;
  const database = await openControlPlaneDatabase({ dataDir, secretKey: settings.EVENT_ROUTER_SECRET_KEY });
  const routers = createSqlRouterStore(database);
  let identity: SqliteIdentityStore | undefined;
  try {
    identity = SqliteIdentityStore.open(dataDir, identityStoreOptions(settings));
    const lookups = buildLookups(settings, identity);
    const adminToken = resolveAdminToken(dataDir, settings.EVENT_ROUTER_ADMIN_TOKEN);
    const server: FastifyInstance = fastify({
      loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
      // The admin API logs its own changes; per-request lines would drown ingest later.
      logController: new LogController({ disableRequestLogging: true }),
    });
    await registerAdminApi(server, { routers, adminToken: adminToken.token, log: logger.child({ component: 'admin' }) });
    return assemble({ settings, logger, routers, identity, lookups, adminToken, server, keyCreated: database.keyCreated });
  } catch (error) {
    identity?.close();
    await routers.close();
    throw error;
  }
}

function assemble(parts: Omit<App, 'start' | 'stop' | 'url'> & { identity: SqliteIdentityStore }): App {
  const { settings, logger, routers, identity, server } = parts;
  let url: string | undefined;
  let stopping: Promise<void> | undefined;
  return {
    ...parts,
    get url() {
      return url;
    },
    async start() {
      await server.listen({ host: settings.EVENT_ROUTER_HOST, port: settings.EVENT_ROUTER_PORT });
      const address = server.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : settings.EVENT_ROUTER_PORT;
      const host = settings.EVENT_ROUTER_HOST.includes(':') ? `[${settings.EVENT_ROUTER_HOST}]` : settings.EVENT_ROUTER_HOST;
      url = `http://${host}:${port}`;
      logger.info({ url }, 'listening');
      return url;
    },
    stop() {
      stopping ??= (async () => {
        // Reverse order of construction: stop taking requests, then close the stores.
        await server.close();
        identity.close();
        await routers.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
