import { processorsFor } from '../config/backend-processors.js';
import type { Settings } from '../config/schema.js';
import { createBackendFilter } from '../filters/backend-filter.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { IdentityMetrics } from '../identity/metrics.js';
import type { RouterStore } from '../storage/router-store.js';
import { loadTransformerRegistry, pluginFailureMessage } from '../transforms/plugins/index.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import type { OutputFormat } from '../transforms/transform-event.js';
import { TransformCaches } from '../transforms/transform-caches.js';
import { identitySettingsFrom } from '../config/identity-settings.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { openIdentityResolver } from './open-identity-resolver.js';
import { inboxOptionsFrom } from '../config/inbox-settings.js';
import { openEventInbox } from '../queue/inbox/open-inbox.js';
import type { BackendPlan } from './process-batch.js';
import { createRoutingTable, type RoutingTable } from './routing-table.js';
import { createStatementLog, type StatementLog } from './statement-log.js';

/** The LMS URL the transformers use when LMS_ROOT_URL is not set (the CLI's default too). */
export const FALLBACK_LMS_URL = 'http://localhost:18000';

/**
 * The finished parts one pipeline runs with, and the connections they hold. Whichever thread
 * the pipeline runs in owns these, and closes them together.
 */
export interface PipelineParts {
  /**
   * The pipeline's own inbox connection: it takes batches, deletes what was committed, and
   * stores every `POST /events` body while the pipeline runs (`storeBody` of both hosts).
   */
  readonly inbox: EventInbox;
  /** Holds the local identity store's connection (when used) and the LMS's. */
  readonly identity: IdentityResolver;
  /** Reads the routers through the router store it was given (the store is not closed here). */
  readonly routes: RoutingTable;
  readonly statementLog: StatementLog;
  readonly backends: readonly BackendPlan[];
  /** The transform context without lookups (those come from each batch's identity resolution). */
  readonly ctx: Omit<TransformContext, 'lookups'>;
  readonly businessCritical: ReadonlySet<string>;
  readonly batchSize: number;
  /** Closes what was opened here, last opened first. */
  close(): Promise<void>;
}

export interface PipelinePartsHooks {
  /** The inbox database file (SQLite; with a PostgreSQL DATABASE_URL the inbox is in that database). */
  readonly inboxPath: string;
  /** The router store of the thread the pipeline runs in. */
  readonly store: RouterStore;
  readonly identityMetrics?: IdentityMetrics;
  /** A router reload failed (logged by the caller). */
  readonly onRoutersError?: (error: unknown) => void;
  /** The routers the pipeline matches against were (re)loaded. */
  readonly onRoutersLoaded?: (version: number, active: number) => void;
  /** Something an operator should know (e.g. a router of a backend that is switched off). */
  readonly onWarning?: (message: string) => void;
  /** A transformer plugin's first failure on an event name (later ones are only counted). */
  readonly onPluginError?: (message: string) => void;
  /** Router-store watch interval, ms. Default 1000. */
  readonly routerPollMs?: number;
}

/**
 * Opens a pipeline's parts from settings: the one step of a composition root (the service's,
 * or the pipeline thread's) that turns settings into the pipeline's parts.
 */
export async function openPipelineParts(settings: Settings, hooks: PipelinePartsHooks): Promise<PipelineParts> {
  const opened: Array<() => unknown> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.splice(0).reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    // Before anything is opened: a plugin that cannot load, or claims a name it may not, stops start here.
    const registry = await loadTransformerRegistry(settings.EVENT_ROUTER_PLUGINS, (plugin, event, message) =>
      hooks.onPluginError?.(pluginFailureMessage(plugin, event, message)),
    );
    const inbox = await openEventInbox(inboxOptionsFrom(settings, hooks.inboxPath));
    opened.push(() => inbox.close());
    // The same builder `replay --routers` uses, so a backfill resolves learners as the live stream does.
    const identityParts = await openIdentityResolver(
      identitySettingsFrom(settings),
      { dataDir: settings.EVENT_ROUTER_DATA_DIR, databaseUrl: settings.DATABASE_URL },
      hooks.identityMetrics,
    );
    opened.push(() => identityParts.close());
    const identity = identityParts.resolver;
    const backends = backendPlans(settings);
    const routes = await createRoutingTable(hooks.store, {
      watchIntervalMs: hooks.routerPollMs ?? 1000,
      onError: (error) => hooks.onRoutersError?.(error),
      onLoaded: (version, routers) => {
        hooks.onRoutersLoaded?.(version, routers.length);
        const idle = idleBackends(backends, routers);
        if (idle.length > 0) hooks.onWarning?.(idle.join('; '));
      },
    });
    opened.push(() => routes.close());
    const statementLog = createStatementLog({
      destinations: statementLogDestinations(settings),
      compat: settings.EVENT_ROUTER_COMPAT,
      lineForm: settings.EVENT_ROUTER_TRACKING_LOG_FORMAT,
    });
    opened.push(() => statementLog.close());
    return {
      inbox,
      identity,
      routes,
      statementLog,
      backends,
      ctx: {
        lmsUrl: settings.LMS_ROOT_URL ?? FALLBACK_LMS_URL,
        transformerVersion: settings.EVENT_ROUTER_TRANSFORMER_VERSION,
        ifiType: settings.XAPI_AGENT_IFI_TYPE,
        compat: settings.EVENT_ROUTER_COMPAT,
        registry,
        caches: new TransformCaches(),
      },
      businessCritical: new Set(settings.EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS),
      batchSize: settings.EVENT_ROUTER_PIPELINE_BATCH_SIZE,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The enabled backends with their filter chains, xAPI first (as ERB's backends are ordered). */
export function backendPlans(settings: Settings): BackendPlan[] {
  const plans: BackendPlan[] = [];
  const formats: OutputFormat[] = [];
  if (settings.XAPI_EVENTS_ENABLED) formats.push('xapi');
  if (settings.CALIPER_EVENTS_ENABLED) formats.push('caliper');
  for (const format of formats) plans.push({ format, filter: createBackendFilter(processorsFor(settings, format)) });
  return plans;
}

/** Routers that receive nothing because their backend is off (XAPI_EVENTS_ENABLED / CALIPER_EVENTS_ENABLED). */
export function idleBackends(backends: readonly BackendPlan[], routers: ReadonlyArray<{ id: string; backend: OutputFormat }>): string[] {
  const enabled = new Set(backends.map((plan) => plan.format));
  const messages: string[] = [];
  for (const backend of ['xapi', 'caliper'] as const) {
    const idle = routers.filter((r) => r.backend === backend && !enabled.has(backend));
    if (idle.length === 0) continue;
    const setting = backend === 'xapi' ? 'XAPI_EVENTS_ENABLED' : 'CALIPER_EVENTS_ENABLED';
    messages.push(`${idle.length} enabled ${backend} router(s) receive nothing: ${setting} is false`);
  }
  return messages;
}

/**
 * ERB's logging toggles: a stream is on when its backend and its logging are both enabled. The
 * `xapi_tracking` stream also needs a destination: ERB's toggle is on by default, and a copy of
 * every statement mixed into the service's own log on stdout is what nobody asked for
 * (docs/configuration.md, "Statement logs").
 */
export function statementLogDestinations(
  settings: Pick<
    Settings,
    | 'XAPI_EVENTS_ENABLED'
    | 'XAPI_EVENT_LOGGING_ENABLED'
    | 'EVENT_ROUTER_XAPI_TRACKING_LOG'
    | 'CALIPER_EVENTS_ENABLED'
    | 'CALIPER_EVENT_LOGGING_ENABLED'
    | 'EVENT_ROUTER_CALIPER_TRACKING_LOG'
  >,
): Partial<Record<OutputFormat, string>> {
  const destinations: Partial<Record<OutputFormat, string>> = {};
  const xapiTo = settings.EVENT_ROUTER_XAPI_TRACKING_LOG;
  if (settings.XAPI_EVENTS_ENABLED && settings.XAPI_EVENT_LOGGING_ENABLED && xapiTo !== undefined) destinations.xapi = xapiTo;
  if (settings.CALIPER_EVENTS_ENABLED && settings.CALIPER_EVENT_LOGGING_ENABLED) {
    destinations.caliper = settings.EVENT_ROUTER_CALIPER_TRACKING_LOG;
  }
  return destinations;
}
