import { processorsFor } from '../../config/backend-processors.js';
import { toDeliveryRouter } from '../../delivery/delivery-routers.js';
import { CliError } from '../../core/cli-error.js';
import type { Settings } from '../../config/schema.js';
import { destinationPolicyFrom } from '../../routers/destination-policy.js';
import type { StoredRouter } from '../../routers/types.js';
import type { OutputFormat } from '../../transforms/transform-event.js';
import type { ReplayDestination } from '../destination.js';
import { createRoutersDestination, type ReplayRouter } from './routers-destination.js';

/** What `replay --routers` asks for. */
export interface RoutersRequest {
  format: OutputFormat;
  /** Router ids (or unique id prefixes, or route URLs); undefined: every enabled router of the format's backend. */
  routerIds?: string[];
  /** The service's settings (`--config`, `--data-dir`, the environment): the router store, the backend filters. */
  settings: Settings;
  /** `--sensor`; default EVENT_ROUTER_CALIPER_SENSOR, else the LMS URL. */
  sensor?: string;
  lmsUrl: string;
  timeoutMs: number;
  retryForMs: number;
}

/**
 * Reads the routers from the store `serve` uses (the data directory's database, or DATABASE_URL)
 * and the backend filters from the settings, then builds the routers destination. Routers are
 * read once: a change made during the replay applies to the next run. Usage problems (no such
 * router, a disabled one, the backend switched off) are CliErrors, before anything is read.
 */
export async function openStoredRoutersDestination(request: RoutersRequest): Promise<ReplayDestination> {
  const { settings, format } = request;
  const enabled = format === 'xapi' ? settings.XAPI_EVENTS_ENABLED : settings.CALIPER_EVENTS_ENABLED;
  if (!enabled) {
    throw new CliError(`--routers --format ${format}: ${format === 'xapi' ? 'XAPI_EVENTS_ENABLED' : 'CALIPER_EVENTS_ENABLED'} is false, so ${format} routers receive nothing`);
  }
  // Loaded here, not at the top: the other destinations need not pay for Kysely and SQLite.
  const { openControlPlaneDatabase } = await import('../../storage/database.js');
  const { createSqlRouterStore } = await import('../../storage/sql-router-store.js');
  let stored: StoredRouter[];
  try {
    const database = await openControlPlaneDatabase({
      dataDir: settings.EVENT_ROUTER_DATA_DIR,
      secretKey: settings.EVENT_ROUTER_SECRET_KEY,
      databaseUrl: settings.DATABASE_URL,
    });
    const store = createSqlRouterStore(database);
    try {
      stored = await store.list();
    } finally {
      await store.close();
    }
  } catch (error) {
    const where = settings.DATABASE_URL !== undefined ? 'the database (DATABASE_URL)' : `the data directory ${settings.EVENT_ROUTER_DATA_DIR}`;
    throw new CliError(`cannot read the routers from ${where}: ${(error as Error).message}`);
  }

  const chosen = request.routerIds === undefined
    ? stored.filter((router) => router.enabled && router.backend === format)
    : request.routerIds.map((wanted) => pick(stored, wanted, format));
  if (chosen.length === 0) {
    throw new CliError(`no enabled ${format} router in ${settings.DATABASE_URL !== undefined ? 'the database' : settings.EVENT_ROUTER_DATA_DIR}; add one with \`edx-event-router routers add\`, or use --lrs-url`);
  }
  const routers: ReplayRouter[] = [];
  for (const router of new Set(chosen)) {
    const delivery = toDeliveryRouter(router, settings);
    if (delivery === undefined) throw new CliError(`router ${router.id}: its configurations no longer pass validation; fix it with \`edx-event-router routers update\``);
    routers.push({ delivery, configurations: router.configurations });
  }
  return createRoutersDestination({
    format,
    routers,
    processors: processorsFor(settings, format),
    caliperSensor: request.sensor ?? settings.EVENT_ROUTER_CALIPER_SENSOR ?? request.lmsUrl,
    timeoutMs: request.timeoutMs,
    retryForMs: request.retryForMs,
    destinations: destinationPolicyFrom(settings),
  });
}

/** A router named by id, unique id prefix or route URL (ERB's `--lrs-urls`); it must be enabled and of the format's backend. */
function pick(stored: readonly StoredRouter[], wanted: string, format: OutputFormat): StoredRouter {
  const byId = stored.find((router) => router.id === wanted);
  const candidates = byId ? [byId] : stored.filter((router) => router.id.startsWith(wanted) || router.routeUrl === wanted);
  if (candidates.length === 0) throw new CliError(`--routers: no router ${wanted}`);
  const ofFormat = candidates.filter((router) => router.backend === format);
  if (ofFormat.length === 0) throw new CliError(`--routers: router ${wanted} is a ${candidates[0]?.backend} router, not ${format} (see --format)`);
  if (ofFormat.length > 1) throw new CliError(`--routers: "${wanted}" names ${ofFormat.length} ${format} routers; give more of the id`);
  const router = ofFormat[0] as StoredRouter;
  if (!router.enabled) throw new CliError(`--routers: router ${router.id} is disabled; enable it with \`edx-event-router routers update ${router.id} --enable\``);
  return router;
}
