import { processorsFor } from '../config/backend-processors.js';
import type { Settings } from '../config/schema.js';
import { createBackendFilter } from '../filters/backend-filter.js';
import { createIdentityFromSettings } from '../identity/create-identity.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { LocalIdentityStore } from '../identity/local-store-port.js';
import type { IdentityMetrics } from '../identity/metrics.js';
import { openLocalIdentityStore } from '../storage/open-local-identity-store.js';
import type { DeliveryQueue } from '../queue/port.js';
import type { RouterStore } from '../storage/router-store.js';
import { loadTransformerRegistry, pluginFailureMessage } from '../transforms/plugins/index.js';
import type { OutputFormat } from '../transforms/transform-event.js';
import { identitySettingsFrom } from '../app/identity-settings.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { inboxOptionsFrom, openEventInbox } from '../queue/inbox/open-inbox.js';
import type { PipelineObserver } from './observer.js';
import { createPipelineRunner, type PipelineRunner } from './pipeline-runner.js';
import { commitBatch, prepareNextBatch, type BackendPlan, type PipelineDeps } from './process-batch.js';
import { createRoutingTable, type RoutingTable } from './routing-table.js';
import { createStatementLog, type StatementLog } from './statement-log.js';

/** The LMS URL the transformers use when LMS_ROOT_URL is not set (the CLI's default too). */
export const FALLBACK_LMS_URL = 'http://localhost:18000';

export interface PipelineEnvironment {
  readonly settings: Settings;
  /** The inbox database file (SQLite; with a PostgreSQL DATABASE_URL the inbox is in that database). */
  readonly inboxPath: string;
  /** Where the items go (enqueue only). */
  readonly queue: Pick<DeliveryQueue, 'enqueue'>;
  readonly store: RouterStore;
  readonly observer: PipelineObserver;
  readonly identityMetrics?: IdentityMetrics;
  readonly onEnqueued?: (routerIds: readonly string[]) => void;
  /** Failures the loop recovers from (logged by the caller). */
  readonly onError?: (error: unknown, where: 'batch' | 'routers') => void;
  readonly onStall?: (message: string) => void;
  /** Something an operator should know (e.g. a router of a backend that is switched off). */
  readonly onWarning?: (message: string) => void;
  /** A transformer plugin's first failure on an event name (later ones are only counted). */
  readonly onPluginError?: (message: string) => void;
  /** The routers the pipeline matches against were (re)loaded. */
  readonly onRoutersLoaded?: (version: number, active: number) => void;
  /** Router-store watch interval, ms. Default 1000. */
  readonly routerPollMs?: number;
}

export interface BuiltPipeline {
  readonly runner: PipelineRunner;
  readonly routes: RoutingTable;
  readonly inbox: EventInbox;
  /** Stops the loop first if needed, then closes what was opened here (not the queue or the store). */
  close(): Promise<void>;
}

/** Builds the pipeline's components from settings; used in the main thread or in the pipeline thread. */
export async function buildPipeline(env: PipelineEnvironment): Promise<BuiltPipeline> {
  const { settings } = env;
  const opened: Array<() => unknown> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.splice(0).reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  try {
    // Before anything is opened: a plugin that cannot load, or claims a name it may not, stops start here.
    const registry = await loadTransformerRegistry(settings.EVENT_ROUTER_PLUGINS, (plugin, event, message) =>
      env.onPluginError?.(pluginFailureMessage(plugin, event, message)),
    );
    const inbox = await openEventInbox(inboxOptionsFrom(settings, env.inboxPath));
    opened.push(() => inbox.close());
    const identitySettings = identitySettingsFrom(settings);
    let localStore: LocalIdentityStore | undefined;
    if (identitySettings.userSources.includes('local-store') || identitySettings.missingIdPolicy === 'mint') {
      // Its own connection (SQLite file or PostgreSQL, as DATABASE_URL says).
      localStore = await openLocalIdentityStore({ dataDir: settings.EVENT_ROUTER_DATA_DIR, databaseUrl: settings.DATABASE_URL });
      const store = localStore;
      opened.push(() => store.close());
    }
    const identity: IdentityResolver = createIdentityFromSettings(identitySettings, {
      ...(localStore !== undefined ? { store: localStore } : {}),
      ...(env.identityMetrics !== undefined ? { metrics: env.identityMetrics } : {}),
    });
    opened.push(() => identity.shutdown());
    const routes = await createRoutingTable(env.store, {
      watchIntervalMs: env.routerPollMs ?? 1000,
      onError: (error) => env.onError?.(error, 'routers'),
      onLoaded: (version, routers) => {
        env.onRoutersLoaded?.(version, routers.length);
        const idle = idleBackends(settings, routers);
        if (idle.length > 0) env.onWarning?.(idle.join('; '));
      },
    });
    opened.push(() => routes.close());
    const statementLog = createStatementLog({ destinations: statementLogDestinations(settings), compat: settings.EVENT_ROUTER_COMPAT, lineForm: settings.EVENT_ROUTER_TRACKING_LOG_FORMAT });
    opened.push(() => statementLog.close());

    const deps: PipelineDeps = {
      inbox,
      queue: env.queue,
      routes,
      identity,
      backends: backendPlans(settings),
      ctx: {
        lmsUrl: settings.LMS_ROOT_URL ?? FALLBACK_LMS_URL,
        transformerVersion: settings.EVENT_ROUTER_TRANSFORMER_VERSION,
        ifiType: settings.XAPI_AGENT_IFI_TYPE,
        compat: settings.EVENT_ROUTER_COMPAT,
        registry,
      },
      businessCritical: new Set(settings.EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS),
      statementLog,
      observer: env.observer,
    };
    const batchSize = settings.EVENT_ROUTER_PIPELINE_BATCH_SIZE;
    const runner = createPipelineRunner({
      step: async () => {
        const batch = await prepareNextBatch(deps, batchSize);
        return batch === null ? { kind: 'empty' } : { kind: 'started', committed: commitBatch(deps, batch) };
      },
      nextDueAt: () => inbox.stats().nextDueAt,
      ...(env.onEnqueued !== undefined ? { onEnqueued: env.onEnqueued } : {}),
      ...(env.onStall !== undefined ? { onStall: env.onStall } : {}),
      onError: (error) => env.onError?.(error, 'batch'),
    });
    return {
      runner,
      routes,
      inbox,
      async close() {
        await runner.stop();
        await closeAll();
      },
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
export function idleBackends(settings: Settings, routers: ReadonlyArray<{ id: string; backend: OutputFormat }>): string[] {
  const enabled = new Set(backendPlans(settings).map((plan) => plan.format));
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
  settings: Pick<Settings, 'XAPI_EVENTS_ENABLED' | 'XAPI_EVENT_LOGGING_ENABLED' | 'EVENT_ROUTER_XAPI_TRACKING_LOG' | 'CALIPER_EVENTS_ENABLED' | 'CALIPER_EVENT_LOGGING_ENABLED' | 'EVENT_ROUTER_CALIPER_TRACKING_LOG'>,
): Partial<Record<OutputFormat, string>> {
  const destinations: Partial<Record<OutputFormat, string>> = {};
  const xapiTo = settings.EVENT_ROUTER_XAPI_TRACKING_LOG;
  if (settings.XAPI_EVENTS_ENABLED && settings.XAPI_EVENT_LOGGING_ENABLED && xapiTo !== undefined) destinations.xapi = xapiTo;
  if (settings.CALIPER_EVENTS_ENABLED && settings.CALIPER_EVENT_LOGGING_ENABLED) {
    destinations.caliper = settings.EVENT_ROUTER_CALIPER_TRACKING_LOG;
  }
  return destinations;
}

export type { StatementLog };
