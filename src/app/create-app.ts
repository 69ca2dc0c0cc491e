import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { Registry } from 'prom-client';
import { registerDeadLettersRoutes } from '../admin/routes/dead-letters.js';
import { registerRouterRetryRoute } from '../admin/routes/router-retry.js';
import { registerHealthRoutes } from '../admin/routes/health.js';
import { createOriginCheck, registerHostGuard } from '../admin/access-checks.js';
import { TOKEN_FAILURE_WINDOW_MS, TOKEN_FAILURES_ALLOWED } from '../http/token-check.js';
import { createFailureThrottle } from '../http/failure-throttle.js';
import { registerAdminApi } from '../admin/server.js';
import { registerAdminUi } from '../admin/ui/admin-ui.js';
import type { Settings } from '../config/schema.js';
import { createDeliveryService, type DeliveryService } from '../delivery/delivery-service.js';
import { createLogThrottle } from '../delivery/log-throttle.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { FALLBACK_LMS_URL, openPipelineParts } from '../pipeline/open-pipeline-parts.js';
import { createInboxBusSink } from '../sources/event-bus/inbox-bus-sink.js';
import { openBusDeadLetters } from '../queue/bus-dead-letters/open-bus-dead-letters.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { inboxOptionsFrom } from '../config/inbox-settings.js';
import { openEventInbox } from '../queue/inbox/open-inbox.js';
import { createInlinePipelineHost, createThreadPipelineHost, type PipelineHost } from '../pipeline/pipeline-host.js';
import type { PipelineThreadData } from '../pipeline/thread-messages.js';
import type { DeliveryQueue } from '../queue/port.js';
import { createBodyBudget } from '../sources/http/body-budget.js';
import { createIngestPressure, type IngestPressure } from '../sources/http/ingest-pressure.js';
import { registerIngestRoute } from '../sources/http/ingest-route.js';
import { ensureDataDir, resolveAdminToken, type AdminToken } from '../storage/data-dir.js';
import { lockDataDir } from '../storage/data-dir-lock.js';
import { isPostgresUrl } from '../storage/database-url.js';
import { describeTightened } from '../storage/private-files.js';
import { watchDiskSpace } from '../storage/disk-space.js';
import { destinationGuard, destinationPolicyFrom } from '../routers/destination-policy.js';
import { openStores } from './open-stores.js';
import type { RouterStore } from '../storage/router-store.js';
import type { Follower } from '../sources/follower/follower.js';
import { createBusComponent, type BusComponent } from './bus-component.js';
import { createFollowComponent } from './follow-component.js';
import { identityNotice } from '../identity/identity-notice.js';
import { identitySettingsFrom } from '../config/identity-settings.js';
import { retryPolicyFrom } from './delivery-settings.js';
import { createDeliveryRouterSource } from '../delivery/delivery-routers.js';
import { toAdminUiCounters } from './admin-ui-counters.js';
import { openIngestProblem } from './ingest-exposure.js';
import { createLogger } from './logger.js';
import { checkReadiness, readinessConditions } from './readiness.js';
import { servicePaths, type ServicePaths } from './service-paths.js';
import type { ServiceView } from './service-view.js';
import { startOrphanSweep, type OrphanSweep } from './orphan-sweep.js';
import { createRouterRemoval } from './router-removal.js';
import { reservePort } from './port-reservation.js';
import { createShutdown } from './shutdown.js';

/**
 * The composition root of `serve` and `consume` (architecture §13): the only place that builds
 * the long-lived components, starts them in order and stops them in reverse.
 *
 * ```
 * POST /events ─┐                                       ┌─ delivery worker per router ─► LRS
 * bus consumer ─┤
 * follower ─────┴─► inbox (SQLite) ─► pipeline ─► outbox (SQLite)
 *                   202 after commit   filter → identity → transform → match
 * ```
 */
export interface App {
  /** Starts delivery, the pipeline, the HTTP server and the bus consumer; resolves with the base URL. */
  start(): Promise<string>;
  /** SIGTERM: stop sources, drain the pipeline, flush delivery within the deadline, close. Idempotent. */
  stop(): Promise<void>;
  /** `http://host:port` once started. */
  readonly url: string | undefined;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly routers: RouterStore;
  /** The admin token and whether it was generated just now (show it once). */
  readonly adminToken: AdminToken;
  /** True when this start created the encryption key file. */
  readonly keyCreated: boolean;
  readonly server: FastifyInstance;
  readonly metrics: Metrics;
  readonly queue: DeliveryQueue;
  readonly inbox: EventInbox;
  readonly delivery: DeliveryService;
  readonly paths: ServicePaths;
  /** Live state for admin extensions (the admin page). */
  readonly view: ServiceView;
}

/** Something that adds routes to the server, given the service's view (e.g. `registerAdminUi`). */
export type AppExtension = (server: FastifyInstance, view: ServiceView) => void | Promise<void>;

export interface AppOptions {
  /** Where log lines go; stdout by default. Tests capture them here. */
  readonly logDestination?: DestinationStream;
  /** `POST /events` (default true). `consume` runs without it. */
  readonly ingest?: boolean;
  /** The admin API under /api and the admin page under /admin (default true). `consume` serves health and metrics only. */
  readonly adminApi?: boolean;
  /** More admin extensions, registered after the admin API and the admin page. */
  readonly extensions?: readonly AppExtension[];
}

export async function createApp(settings: Settings, options: AppOptions = {}): Promise<App> {
  const ingestOn = options.ingest ?? true;
  // Before anything is opened: open ingest on a network address is refused (docs/security.md).
  const exposure = ingestOn ? openIngestProblem(settings) : undefined;
  if (exposure !== undefined) throw new Error(exposure);
  const logger = createLogger(settings, options.logDestination);
  const dataDir = settings.EVENT_ROUTER_DATA_DIR;
  const paths = servicePaths(dataDir);
  const closers: Array<() => unknown> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    // Before anything in the data directory is opened: its modes, then the one-service lock (SQLite
    // storage only; with PostgreSQL several instances share the database, each with its own files).
    const tightened = describeTightened(dataDir, ensureDataDir(dataDir));
    if (tightened !== undefined) logger.warn(tightened);
    if (!isPostgresUrl(settings.DATABASE_URL)) {
      const lock = lockDataDir(dataDir);
      closers.push(() => lock.release());
    }
    // Then the listen address: a port that is taken fails the start before the stores are opened.
    const reservation = await reservePort(settings.EVENT_ROUTER_HOST, settings.EVENT_ROUTER_PORT);
    closers.push(() => reservation.release());

    // Free space of the data directory: a full disk refuses ingest (507) and shows in /readyz until there is room.
    const disk = watchDiskSpace({
      dir: dataDir,
      minFreeBytes: settings.EVENT_ROUTER_DISK_MIN_FREE_BYTES,
      onChange: (reason) =>
        reason === undefined
          ? logger.info({ dataDir }, 'disk space back: ingest resumes')
          : logger.error({ dataDir, reason }, 'data directory disk full: ingest refused (507)'),
    });
    closers.push(() => disk.stop());

    // Control plane first: it creates the key and the migrated database the others use.
    // DATABASE_URL unset: SQLite files in the data directory; postgres://…: routers, outbox and identities there.
    const dbLog = logger.child({ component: 'database' });
    const stores = await openStores(settings, {
      queue: {
        maxDepth: settings.EVENT_ROUTER_OUTBOX_MAX_DEPTH,
        synchronous: settings.EVENT_ROUTER_SQLITE_SYNCHRONOUS,
        sqlitePath: paths.outbox,
      },
      onPoolError: (error) => dbLog.warn({ err: { message: error.message } }, 'database connection lost; reconnecting'),
    });
    // The SQLite outbox is opened here first, so leases left by a killed process come back before delivery starts.
    closers.push(() => stores.close());
    const { routers, queue } = stores;
    const adminToken = resolveAdminToken(dataDir, settings.EVENT_ROUTER_ADMIN_TOKEN);
    const metrics = createMetrics(new Registry());

    // SQLite: each instance's own file. PostgreSQL: one inbox that every instance's pipeline takes from,
    // so the events an instance accepted are not stranded when it dies.
    const inbox = await openEventInbox({
      ...inboxOptionsFrom(settings, paths.inbox),
      onPoolError: (error) => dbLog.warn({ err: { message: error.message } }, 'database connection lost; reconnecting'),
    });
    closers.push(() => inbox.close());
    // The memory bound of ingest: bytes of request bodies held at once (body-budget.ts).
    const ingestPressure: IngestPressure | undefined = ingestOn
      ? createIngestPressure(
          createBodyBudget({
            limit: settings.EVENT_ROUTER_INGEST_MAX_IN_FLIGHT * settings.EVENT_ROUTER_INGEST_MAX_BODY_BYTES,
            maxBodyBytes: settings.EVENT_ROUTER_INGEST_MAX_BODY_BYTES,
          }),
        )
      : undefined;

    const deliveryLog = logger.child({ component: 'delivery' });
    const destinations = destinationPolicyFrom(settings);
    const guard = destinationGuard(destinations);
    const conflictLog = createLogThrottle(10_000);
    const delivery = createDeliveryService({
      queue,
      caliperSensor: settings.EVENT_ROUTER_CALIPER_SENSOR ?? FALLBACK_LMS_URL,
      routers: createDeliveryRouterSource(routers, settings),
      retryPolicy: retryPolicyFrom(settings),
      http: { timeoutMs: Math.round(settings.EVENT_ROUTER_HTTP_TIMEOUT * 1000), ...(guard ? { guard } : {}) },
      fileRoutesDir: destinations.fileRoutesDir,
      maxInFlight: settings.EVENT_ROUTER_DELIVERY_MAX_IN_FLIGHT,
      leaseMs: Math.round(settings.EVENT_ROUTER_DELIVERY_LEASE * 1000),
      observer: {
        record(event) {
          metrics.delivery.record(event);
          if (event.type === 'worker_error') deliveryLog.error({ destination: event.routerId }, event.error);
          if (event.type === 'dead_lettered' && event.reason === 'conflict') {
            // A site whose ids collide often would log one line per batch: one per router every 10 s.
            const count = conflictLog.take(event.routerId, event.count);
            if (count !== null) deliveryLog.warn({ destination: event.routerId, count, reason: event.reason }, `${event.error} (dead-lettered as conflict)`);
          } else if (event.type === 'dead_lettered') {
            deliveryLog.warn({ destination: event.routerId, count: event.count, reason: event.reason }, event.error);
          }
          if (event.type === 'health') deliveryLog.info({ destination: event.routerId, state: event.health.state }, 'router state');
        },
      },
    });
    metrics.setGaugeSources({
      queueStats: () => queue.stats(),
      inboxStats: () => inbox.stats(),
      routerHealth: () => delivery.health(),
      ...(ingestPressure ? { ingestBodies: () => ({ used: ingestPressure.budget.used, peak: ingestPressure.budget.peak }) } : {}),
    });
    closers.push(() => delivery.shutdown(1000));

    // Said once per start: where learner ids come from, and plainly when they are not the LMS's.
    const notice = identityNotice(identitySettingsFrom(settings));
    const identityLog = logger.child({ component: 'identity' });
    identityLog.info(notice.summary);
    if (notice.warning !== undefined) identityLog.warn(notice.warning);

    const pipelineLog = logger.child({ component: 'pipeline' });
    const hostEvents = {
      observer: metrics.pipeline,
      identityMetrics: metrics.identity,
      onEnqueued: (ids: readonly string[]) => delivery.notify(ids),
      log: (level: 'warn' | 'error', message: string, where: string) => pipelineLog[level]({ where }, message),
    };
    // While the disk is full the pipeline leaves events in the inbox: the room that comes back goes
    // first to settling what was delivered, which is what frees the outbox.
    const pipelineQueue: DeliveryQueue = {
      ...queue,
      enqueue: (items) => {
        const full = disk.fullReason();
        return full === undefined
          ? queue.enqueue(items)
          : Promise.reject(Object.assign(new Error(`database or disk is full: ${full}`), { code: 'SQLITE_FULL' }));
      },
    };
    // The pipeline's parts are opened where it runs: by the pipeline thread's own composition root
    // (pipeline-thread.ts, from `data`), or here, at start, on this thread's router store.
    const data: PipelineThreadData = { settings, inboxPath: paths.inbox };
    const pipeline: PipelineHost = settings.EVENT_ROUTER_PIPELINE_THREAD
      ? createThreadPipelineHost({ ...hostEvents, data, queue: pipelineQueue, mainInbox: inbox })
      : createInlinePipelineHost({
          ...hostEvents,
          openParts: (reports) => openPipelineParts(settings, { ...reports, inboxPath: paths.inbox, store: routers }),
          queue: pipelineQueue,
          mainInbox: inbox,
        });
    closers.push(() => pipeline.stop());

    let bus: BusComponent | undefined;
    if (settings.EVENT_ROUTER_BUS_URL !== undefined) {
      const busLog = logger.child({ component: 'bus' });
      const deadLetters = await openBusDeadLetters({
        databaseUrl: settings.DATABASE_URL,
        sqlitePath: paths.inbox,
        onPoolError: (error) => dbLog.warn({ err: { message: error.message } }, 'database connection lost; reconnecting'),
      });
      closers.push(() => deadLetters.close());
      const { sink, deadLetter } = createInboxBusSink({ inbox, deadLetters, metrics: metrics.ingest, onAccepted: () => pipeline.wake(), log: busLog });
      bus = createBusComponent(settings.EVENT_ROUTER_BUS_URL, { sink, deadLetter, metrics: metrics.bus, log: busLog });
      const component = bus;
      closers.push(() => component.stop());
    }

    let follower: Follower | undefined;
    if (settings.EVENT_ROUTER_FOLLOW.length > 0) {
      const log = logger.child({ component: 'follow' });
      follower = createFollowComponent(settings, { inbox, metrics, onStored: () => pipeline.wake(), log });
      const component = follower;
      closers.push(() => component.stop());
    }

    const view: ServiceView = {
      routers,
      queueStats: () => queue.stats(),
      deadLetters: queue.deadLetters,
      deliveryHealth: () => delivery.health(),
      counters: () => metrics.counters.snapshot(),
      inboxStats: () => inbox.stats(),
      wakeDelivery: () => delivery.notify(),
      adminToken: adminToken.token,
    };

    // Typed as Fastify's logger: given pino's own type, fastify() infers an instance that is not a FastifyInstance.
    const httpLogger: FastifyBaseLogger = logger.child({ component: 'http' });
    const server: FastifyInstance = fastify({
      loggerInstance: httpLogger,
      // Per-request lines would drown ingest; the admin API logs its own changes.
      logController: new LogController({ disableRequestLogging: true }),
      // The ingest route reads its bodies itself (its own limit); admin bodies are small.
      bodyLimit: 1024 * 1024,
      // X-Forwarded-* only from the reverse proxies named (the client address of throttles, https for cookies).
      trustProxy: settings.EVENT_ROUTER_TRUSTED_PROXIES.length > 0 ? [...settings.EVENT_ROUTER_TRUSTED_PROXIES] : false,
      // A backstop for every route (headers included): ingest bodies have their own, shorter deadline.
      requestTimeout: Math.round((settings.EVENT_ROUTER_INGEST_BODY_TIMEOUT + 30) * 1000),
    });
    registerHostGuard(server, settings.EVENT_ROUTER_ALLOWED_HOSTS, (host) => {
      metrics.ingest.rejected('not_allowed', 1);
      logger.warn({ component: 'http', host }, 'request for a host not in EVENT_ROUTER_ALLOWED_HOSTS refused');
    });
    const originAllowed = createOriginCheck(settings.EVENT_ROUTER_ALLOWED_ORIGINS);
    // One count of wrong tokens per client address, shared by the admin API and ingest.
    const tokenThrottle = createFailureThrottle({ maxFailures: TOKEN_FAILURES_ALLOWED, windowMs: TOKEN_FAILURE_WINDOW_MS, now: Date.now });
    closers.push(() => server.close());

    const lifecycle = createShutdown({ settings, logger, server, delivery, pipeline, bus, follower, routers, closeAll, reservation });
    // Deleting a router takes its queued statements and dead letters with it (docs/routers.md).
    const removal = createRouterRemoval({ routers, queue, metrics, log: logger.child({ component: 'admin' }) });
    let sweep: OrphanSweep | undefined;
    closers.push(() => sweep?.stop());
    if (options.adminApi ?? true) {
      await registerAdminApi(server, {
        routers,
        removeRouter: removal.remove,
        adminToken: adminToken.token,
        throttle: tokenThrottle,
        originAllowed,
        log: logger.child({ component: 'admin' }),
        destinations,
        routes: [
          (api) =>
            registerDeadLettersRoutes(api, {
              deadLetters: queue.deadLetters,
              queueStats: () => queue.stats(),
              onRequeued: () => delivery.notify(),
              log: logger.child({ component: 'admin' }),
            }),
          (api) => registerRouterRetryRoute(api, { store: routers, retryNow: (id) => delivery.retryNow(id), log: logger.child({ component: 'admin' }) }),
        ],
      });
      await registerAdminUi(server, {
        routers,
        queue,
        removeRouter: removal.remove,
        counters: () => toAdminUiCounters(metrics.counters.snapshot()),
        health: () => delivery.health(),
        retryNow: (id) => delivery.retryNow(id),
        adminToken: adminToken.token,
        log: logger.child({ component: 'admin-ui' }),
        destinations,
      });
    } else {
      server.get('/healthz', async () => ({ status: 'ok' }));
    }
    const readiness = readinessConditions({ settings, lifecycle, pipeline, inbox, ingest: ingestPressure, bus, follower, disk });
    registerHealthRoutes(server, { registry: metrics.registry, readiness: () => checkReadiness(readiness) });
    if (ingestPressure !== undefined) {
      await registerIngestRoute(server, {
        store: (body) => pipeline.storeBody(body),
        onAccepted: () => pipeline.wake(),
        token: settings.EVENT_ROUTER_INGEST_TOKEN,
        throttle: tokenThrottle,
        originAllowed,
        maxBodyBytes: settings.EVENT_ROUTER_INGEST_MAX_BODY_BYTES,
        bodyTimeoutMs: Math.round(settings.EVENT_ROUTER_INGEST_BODY_TIMEOUT * 1000),
        pressure: ingestPressure,
        closing: () => lifecycle.closing,
        disk,
        metrics: metrics.ingest,
        log: logger.child({ component: 'ingest' }),
      });
    }
    // More admin extensions get the same view of the service (the web admin page is registered above).
    for (const extend of options.extensions ?? []) await extend(server, view);

    return {
      settings,
      logger,
      routers,
      adminToken,
      keyCreated: stores.keyCreated,
      server,
      metrics,
      queue,
      inbox,
      delivery,
      paths,
      view,
      get url() {
        return lifecycle.url;
      },
      async start() {
        const url = await lifecycle.start();
        sweep ??= startOrphanSweep({
          queue,
          routers,
          onDiscarded: removal.discarded,
          onError: (error) => logger.warn({ err: { message: (error as Error).message } }, 'orphan sweep failed; trying again later'),
        });
        return url;
      },
      stop: () => lifecycle.stop(),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
