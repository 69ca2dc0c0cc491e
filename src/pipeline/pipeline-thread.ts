import { parentPort, workerData } from 'node:worker_threads';
import type { DeliveryQueue, EnqueueOutcome } from '../queue/port.js';
import { openControlPlaneDatabase } from '../storage/database.js';
import { createSqlRouterStore } from '../storage/sql-router-store.js';
import { buildPipeline, type BuiltPipeline } from './build-pipeline.js';
import { createIdentityCountBuffer } from './identity-counts.js';
import { createCountBuffer } from './observer.js';
import { createBodyStore } from '../sources/http/store-body.js';
import { serialiseItems } from './serialised-items.js';
import type { FromPipelineThread, PipelineThreadData, ToPipelineThread } from './thread-messages.js';

/**
 * The pipeline in a worker thread (EVENT_ROUTER_PIPELINE_THREAD): its own connections to the
 * inbox, the outbox and the control-plane database, so that identity resolution, transformation
 * and routing use a second core while the main thread serves HTTP and delivers. It talks to the
 * main thread only through messages (thread-messages.ts).
 */
if (parentPort === null) throw new Error('pipeline-thread.js must run in a worker thread');
const port = parentPort;
const data = workerData as PipelineThreadData;
const send = (message: FromPipelineThread): void => port.postMessage(message);
const counts = createCountBuffer();
const identityCounts = createIdentityCountBuffer();

function flushCounts(): void {
  const pipeline = counts.take();
  const identity = identityCounts.take();
  if (pipeline.length > 0 || identity !== undefined) {
    send({ type: 'counts', pipeline, identity: identity ?? { hits: {}, misses: {}, providerErrors: {}, minted: {} } });
  }
}

const enqueues = new Map<number, (answer: { outcome?: EnqueueOutcome; error?: string }) => void>();
let nextEnqueue = 0;

/**
 * The outbox through the main thread's connection: one message per batch (the payloads as JSON
 * text), answered after the commit. The main thread's queue then wakes delivery.
 */
function mainThreadOutbox(): Pick<DeliveryQueue, 'enqueue' | 'close'> {
  return {
    enqueue: (items) =>
      new Promise<EnqueueOutcome>((resolve, reject) => {
        const serialised = serialiseItems(items); // a payload that is not JSON rejects here, before anything is sent
        const id = ++nextEnqueue;
        enqueues.set(id, (answer) => (answer.outcome ? resolve(answer.outcome) : reject(new Error(answer.error ?? 'enqueue failed'))));
        send({ type: 'enqueue', id, items: serialised });
      }),
    close: async () => {
      for (const answer of enqueues.values()) answer({ error: 'pipeline thread stopping' });
      enqueues.clear();
    },
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  const { settings } = data;
  const database = await openControlPlaneDatabase({
    dataDir: settings.EVENT_ROUTER_DATA_DIR,
    secretKey: settings.EVENT_ROUTER_SECRET_KEY,
    databaseUrl: settings.DATABASE_URL,
    poolSize: 2,
  });
  const store = createSqlRouterStore(database);
  // The outbox has one writing connection, the main thread's (delivery leases and settles on it):
  // items go there by message, so the two threads never wait for each other's SQLite write lock.
  const queue = mainThreadOutbox();
  let pipeline: BuiltPipeline;
  try {
    pipeline = await buildPipeline({
      settings,
      inboxPath: data.inboxPath,
      queue,
      store,
      observer: counts.observer,
      identityMetrics: identityCounts.metrics,
      onError: (error, where) => send({ type: 'log', level: 'error', message: describe(error), where }),
      onStall: (message) => send({ type: 'log', level: 'warn', message, where: 'stall' }),
      onRoutersLoaded: (version, active) => send({ type: 'routers', version, active }),
      onWarning: (message) => send({ type: 'log', level: 'warn', message, where: 'routers' }),
      onPluginError: (message) => send({ type: 'log', level: 'warn', message, where: 'plugins' }),
    });
  } catch (error) {
    await queue.close();
    await store.close();
    throw error;
  }
  const storeBody = createBodyStore(pipeline.inbox);
  const timer = setInterval(flushCounts, 200);
  let stopping = false;

  port.on('message', (message: ToPipelineThread) => {
    switch (message.type) {
      case 'enqueued':
        enqueues.get(message.id)?.(message);
        enqueues.delete(message.id);
        break;
      case 'wake':
        pipeline.runner.wake();
        break;
      case 'ingest':
        // No input may end the thread: whatever goes wrong is an answer (503 to the sender), never a rejection.
        storeBody(message.body)
          .catch((error: unknown) => ({ events: 0, errors: [], outcome: null, failed: describe(error) }))
          .then((stored) => {
            if (stored.outcome?.ok) pipeline.runner.wake();
            send({ type: 'ingested', id: message.id, stored });
          });
        break;
      case 'routers':
        void pipeline.routes.refresh();
        break;
      case 'drain':
        void pipeline.runner.drain(message.timeoutMs).then((ok) => {
          flushCounts();
          send({ type: 'drained', id: message.id, ok });
        });
        break;
      case 'stop':
        if (stopping) return;
        stopping = true;
        void (async () => {
          clearInterval(timer);
          await pipeline.close();
          await queue.close();
          await store.close();
          flushCounts();
          send({ type: 'stopped' });
          port.close();
        })();
        break;
    }
  });
  pipeline.runner.start();
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: describe(error) });
  port.close();
});
