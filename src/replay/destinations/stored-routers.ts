import { CliError } from '../../core/cli-error.js';
import type { DeliveryRouter } from '../../delivery/router-config.js';
import type { BackendProcessor } from '../../filters/backend-filter.js';
import type { DestinationPolicy } from '../../routers/destination-policy.js';
import type { StoredRouter } from '../../routers/types.js';
import type { OpenOptions } from '../../storage/database.js';
import type { OutputFormat } from '../../transforms/transform-event.js';
import type { ReplayDestination } from '../destination.js';
import { createRoutersDestination, type ReplayRouter } from './routers-destination.js';

/** What `replay --routers` asks for: the parts the replay's composition built from the service's settings. */
export interface RoutersRequest {
  format: OutputFormat;
  /** Router ids (or unique id prefixes, or route URLs); undefined: every enabled router of the format's backend. */
  routerIds?: string[];
  /** Where the service keeps its routers (the data directory's database, or DATABASE_URL). */
  store: Pick<OpenOptions, 'dataDir' | 'secretKey' | 'databaseUrl'>;
  /** The setting that switches the format's backend off (XAPI_EVENTS_ENABLED …), when it is off. */
  backendOff?: string;
  /** The backend's filter chain, as serve applies it. */
  processors: readonly BackendProcessor[];
  /** A stored router as delivery sends to it; undefined when it no longer compiles. */
  toDelivery: (router: StoredRouter) => DeliveryRouter | undefined;
  caliperSensor: string;
  destinations: DestinationPolicy;
  timeoutMs: number;
  retryForMs: number;
}

/**
 * Reads the routers from the store `serve` uses, then builds the routers destination. Routers are
 * read once: a change made during the replay applies to the next run. Usage problems (no such
 * router, a disabled one, the backend switched off) are CliErrors, before anything is read.
 */
export async function openStoredRoutersDestination(request: RoutersRequest): Promise<ReplayDestination> {
  const { format, store: location } = request;
  if (request.backendOff !== undefined) {
    throw new CliError(`--routers --format ${format}: ${request.backendOff} is false, so ${format} routers receive nothing`);
  }
  const where = location.databaseUrl !== undefined ? 'the database (DATABASE_URL)' : `the data directory ${location.dataDir}`;
  // Loaded here, not at the top: the other destinations need not pay for Kysely and SQLite.
  const { openControlPlaneDatabase } = await import('../../storage/database.js');
  const { createSqlRouterStore } = await import('../../storage/sql-router-store.js');
  let stored: StoredRouter[];
  try {
    const database = await openControlPlaneDatabase(location);
    const store = createSqlRouterStore(database);
    try {
      stored = await store.list();
    } finally {
      await store.close();
    }
  } catch (error) {
    throw new CliError(`cannot read the routers from ${where}: ${(error as Error).message}`);
  }

  const chosen =
    request.routerIds === undefined
      ? stored.filter((router) => router.enabled && router.backend === format)
      : request.routerIds.map((wanted) => pick(stored, wanted, format));
  if (chosen.length === 0) {
    throw new CliError(
      `no enabled ${format} router in ${location.databaseUrl !== undefined ? 'the database' : location.dataDir}; add one with \`edx-event-router routers add\`, or use --lrs-url`,
    );
  }
  const routers: ReplayRouter[] = [];
  for (const router of new Set(chosen)) {
    const delivery = request.toDelivery(router);
    if (delivery === undefined)
      throw new CliError(`router ${router.id}: its configurations no longer pass validation; fix it with \`edx-event-router routers update\``);
    routers.push({ delivery, configurations: router.configurations });
  }
  return createRoutersDestination({
    format,
    routers,
    processors: request.processors,
    caliperSensor: request.caliperSensor,
    timeoutMs: request.timeoutMs,
    retryForMs: request.retryForMs,
    destinations: request.destinations,
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
  if (!router.enabled)
    throw new CliError(`--routers: router ${router.id} is disabled; enable it with \`edx-event-router routers update ${router.id} --enable\``);
  return router;
}
