import { parentPort, workerData } from 'node:worker_threads';
import { openThreadChannel } from '../core/thread-rpc.js';
import type { DeliveryQueue } from '../queue/port.js';
import { openControlPlaneDatabase } from '../storage/database.js';
import type { RouterStore } from '../storage/router-store.js';
import { createSqlRouterStore } from '../storage/sql-router-store.js';
import { buildPipeline, type BuiltPipeline } from './build-pipeline.js';
import { createIdentityCountBuffer } from './identity-counts.js';
import { createCountBuffer } from './observer.js';
import { openPipelineParts, type PipelineParts } from './open-pipeline-parts.js';
import type { PartsReports } from './pipeline-host.js';
import { createBodyStore, type StoredBody } from '../sources/http/store-body.js';
import { serialiseItems } from './serialised-items.js';
import type { MainThreadSide, PipelineThreadData, PipelineThreadSide } from './thread-messages.js';

/**
 * The pipeline thread's entry and composition root (EVENT_ROUTER_PIPELINE_THREAD): the one
 * place in this thread that reads the settings it was started with. It opens the thread's own
 * connections, so that identity resolution, transformation and routing use a second core while
 * the main thread serves HTTP and delivers, and talks to the main thread only through the
 * channel of thread-messages.ts.
 */
if (parentPort === null) throw new Error('pipeline-thread.js must run in a worker thread');
const port = parentPort;

/** The connections this thread owns, opened together and closed together. */
interface PipelineThreadResources {
  /** Its own control-plane connection: the routers it matches against (watched for changes). */
  readonly routers: RouterStore;
  /** Its own inbox connection (batches and every `POST /events` body), the identity resolver's, the statement logs. */
  readonly parts: PipelineParts;
  close(): Promise<void>;
}

async function openThreadResources(data: PipelineThreadData, reports: PartsReports): Promise<PipelineThreadResources> {
  const { settings } = data;
  const database = await openControlPlaneDatabase({
    dataDir: settings.EVENT_ROUTER_DATA_DIR,
    secretKey: settings.EVENT_ROUTER_SECRET_KEY,
    databaseUrl: settings.DATABASE_URL,
    poolSize: 2,
  });
  const routers = createSqlRouterStore(database);
  try {
    const parts = await openPipelineParts(settings, { ...reports, inboxPath: data.inboxPath, store: routers });
    return {
      routers,
      parts,
      async close() {
        await parts.close();
        await routers.close();
      },
    };
  } catch (error) {
    await routers.close();
    throw error;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const counts = createCountBuffer();
const identityCounts = createIdentityCountBuffer();

interface Running {
  readonly pipeline: BuiltPipeline;
  readonly resources: PipelineThreadResources;
  readonly storeBody: (body: Uint8Array) => Promise<StoredBody>;
}
let running: Running | undefined;
let stopRequested = false;
let stopping = false;
let countsTimer: NodeJS.Timeout | undefined;

const channel = openThreadChannel<PipelineThreadSide, MainThreadSide>(port, {
  requests: {
    ingest: async (body) => {
      if (running === undefined) return { events: 0, errors: [], outcome: null, failed: 'pipeline not running' };
      // No input may end the thread: whatever goes wrong is an answer (503 to the sender), never a rejection.
      const stored = await running.storeBody(body).catch((error: unknown): StoredBody => ({ events: 0, errors: [], outcome: null, failed: describe(error) }));
      if (stored.outcome?.ok) running.pipeline.runner.wake();
      return stored;
    },
    drain: async (timeoutMs) => {
      if (running === undefined) return false;
      const ok = await running.pipeline.runner.drain(timeoutMs);
      flushCounts();
      return ok;
    },
  },
  notes: {
    wake: () => running?.pipeline.runner.wake(),
    routers: () => void running?.pipeline.parts.routes.refresh(),
    stop: () => {
      stopRequested = true;
      if (running !== undefined) void stop(running);
    },
  },
});

function flushCounts(): void {
  const pipeline = counts.take();
  const identity = identityCounts.take();
  if (pipeline.length > 0 || identity !== undefined) {
    channel.notify('counts', { pipeline, identity: identity ?? { hits: {}, misses: {}, providerErrors: {}, minted: {} } });
  }
}

/**
 * The outbox through the main thread's connection, the only one that writes it (delivery leases
 * and settles there): one request per batch, the payloads as JSON text, answered after the
 * commit. On SQLite the two threads therefore never wait for each other's write lock.
 */
const mainThreadOutbox: Pick<DeliveryQueue, 'enqueue'> = {
  enqueue: async (items) => channel.request('enqueue', serialiseItems(items)),
};

async function stop(current: Running): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(countsTimer);
  await current.pipeline.runner.stop();
  await current.resources.close();
  flushCounts();
  channel.close(new Error('pipeline thread stopping'));
  port.close();
}

async function main(): Promise<void> {
  const resources = await openThreadResources(workerData as PipelineThreadData, {
    identityMetrics: identityCounts.metrics,
    onRoutersError: (error) => channel.notify('log', { level: 'error', message: describe(error), where: 'routers' }),
    onRoutersLoaded: (version, active) => channel.notify('routers', { version, active }),
    onWarning: (message) => channel.notify('log', { level: 'warn', message, where: 'routers' }),
    onPluginError: (message) => channel.notify('log', { level: 'warn', message, where: 'plugins' }),
  });
  const pipeline = buildPipeline({
    parts: resources.parts,
    queue: mainThreadOutbox,
    observer: counts.observer,
    onError: (error) => channel.notify('log', { level: 'error', message: describe(error), where: 'batch' }),
    onStall: (message) => channel.notify('log', { level: 'warn', message, where: 'stall' }),
  });
  running = { pipeline, resources, storeBody: createBodyStore(resources.parts.inbox) };
  countsTimer = setInterval(flushCounts, 200);
  pipeline.runner.start();
  channel.notify('ready');
  if (stopRequested) await stop(running);
}

main().catch((error: unknown) => {
  channel.notify('failed', { message: describe(error) });
  channel.close(new Error('pipeline thread failed'));
  port.close();
});
