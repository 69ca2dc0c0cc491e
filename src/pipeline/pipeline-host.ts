import { Worker } from 'node:worker_threads';
import type { DeliveryQueue } from '../queue/port.js';
import type { RouterStore } from '../storage/router-store.js';
import { buildPipeline, type BuiltPipeline } from './build-pipeline.js';
import { replayCounts, type CountDelta, type PipelineObserver } from './observer.js';
import { deserialiseItems } from './serialised-items.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { createBodyStore, type StoredBody } from '../sources/http/store-body.js';
import type { FromPipelineThread, IdentityCountDelta, PipelineThreadData, ToPipelineThread } from './thread-messages.js';
import type { IdentityMetrics } from '../identity/metrics.js';

/**
 * The pipeline as the composition root sees it, whether it runs in this thread or in a worker
 * thread: the same lifecycle (architecture §13) and the same signals.
 */
export interface PipelineHost {
  /** Resolves once the pipeline runs (its databases are open and the routers loaded). */
  start(): Promise<void>;
  /** New events are in the inbox. */
  wake(): void;
  /**
   * Reads a `POST /events` body (UTF-8 bytes) and stores its events in the inbox, where the
   * pipeline's inbox connection is (the pipeline thread, else this thread). The body's memory is
   * handed over: the caller must not use it afterwards.
   */
  storeBody(body: Buffer): Promise<StoredBody>;
  /** The routers changed: reload them now rather than at the next poll. */
  routersChanged(): void;
  /** Processes what is due in the inbox; false when the deadline came first. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops after the batch in hand and closes its connections. Idempotent. */
  stop(): Promise<void>;
  /** Running, and its last batch did not fail. */
  healthy(): boolean;
  /** The router-store version the pipeline routes with, and its active routers (-1 before the first load). */
  routing(): { version: number; active: number };
}

export interface PipelineHostEvents {
  readonly observer: PipelineObserver;
  /** Identity counters; `add` takes the shipped counts of a pipeline thread. */
  readonly identityMetrics: IdentityMetrics & { add(delta: IdentityCountDelta): void };
  onEnqueued(routerIds: readonly string[]): void;
  log(level: 'warn' | 'error', message: string, where: string): void;
}

export interface InlineHostOptions extends PipelineHostEvents {
  readonly data: PipelineThreadData;
  /** The main thread's inbox connection (ingest). */
  readonly inbox: Pick<EventInbox, 'append'>;
  /** The main thread's queue and store, shared. */
  readonly queue: DeliveryQueue;
  readonly store: RouterStore;
}

/** The pipeline in the calling thread (EVENT_ROUTER_PIPELINE_THREAD=false, tests). */
export function createInlinePipelineHost(options: InlineHostOptions): PipelineHost {
  let built: BuiltPipeline | undefined;
  let stopping: Promise<void> | undefined;
  let routing = { version: -1, active: 0 };
  const storeBody = createBodyStore(options.inbox);
  return {
    async start() {
      built = await buildPipeline({
        settings: options.data.settings,
        inboxPath: options.data.inboxPath,
        queue: options.queue,
        store: options.store,
        observer: options.observer,
        identityMetrics: options.identityMetrics,
        onEnqueued: (ids) => options.onEnqueued(ids),
        onError: (error, where) => options.log('error', error instanceof Error ? error.message : String(error), where),
        onStall: (message) => options.log('warn', message, 'stall'),
        onRoutersLoaded: (version, active) => void (routing = { version, active }),
        onWarning: (message) => options.log('warn', message, 'routers'),
        onPluginError: (message) => options.log('warn', message, 'plugins'),
      });
      built.runner.start();
    },
    wake: () => built?.runner.wake(),
    storeBody,
    routersChanged: () => void built?.routes.refresh(),
    drain: async (timeoutMs) => (built ? built.runner.drain(timeoutMs) : true),
    stop() {
      stopping ??= built?.close() ?? Promise.resolve();
      return stopping;
    },
    healthy: () => built?.runner.healthy() ?? false,
    routing: () => routing,
  };
}

export interface ThreadHostOptions extends PipelineHostEvents {
  readonly data: PipelineThreadData;
  /** The main thread's queue: it writes the thread's items (the only writing connection to the outbox). */
  readonly queue: DeliveryQueue;
  /** The main thread's inbox connection: ingest while the thread is (re)starting. */
  readonly inbox: Pick<EventInbox, 'append'>;
  /** Pause before a crashed thread is started again, ms. Default 1000. */
  readonly restartDelayMs?: number;
}

/**
 * The pipeline in a worker thread. A thread that dies is started again after a pause (its
 * batch in hand is simply taken again from the inbox: at least once).
 */
export function createThreadPipelineHost(options: ThreadHostOptions): PipelineHost {
  let worker: Worker | undefined;
  let ready = false;
  let stopping: Promise<void> | undefined;
  let nextDrainId = 0;
  const drains = new Map<number, (ok: boolean) => void>();
  let nextIngestId = 0;
  const ingests = new Map<number, { resolve: (stored: StoredBody) => void; reject: (error: Error) => void }>();
  let restartTimer: NodeJS.Timeout | undefined;
  let wakePending = false;
  let routing = { version: -1, active: 0 };
  const storeHere = createBodyStore(options.inbox);

  function post(message: ToPipelineThread, transfer?: ArrayBuffer[]): void {
    worker?.postMessage(message, transfer);
  }

  function spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      ready = false;
      const thread = new Worker(new URL('./pipeline-thread.js', import.meta.url), {
        workerData: options.data,
        // Workers inherit the process flags; `--input-type` (a script given with -e) would stop them loading a file.
        execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
      });
      worker = thread;
      let settled = false;
      thread.on('message', (message: FromPipelineThread) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            settled = true;
            resolve();
            if (wakePending) post({ type: 'wake' });
            wakePending = false;
            break;
          case 'failed':
            settled = true;
            reject(new Error(`pipeline thread: ${message.message}`));
            break;
          case 'enqueue':
            options.queue.enqueue(deserialiseItems(message.items)).then(
              (outcome) => post({ type: 'enqueued', id: message.id, outcome }),
              (error: unknown) => post({ type: 'enqueued', id: message.id, error: error instanceof Error ? error.message : String(error) }),
            );
            break;
          case 'routers':
            routing = { version: message.version, active: message.active };
            break;
          case 'counts':
            replayCounts(message.pipeline as CountDelta, options.observer);
            options.identityMetrics.add(message.identity);
            break;
          case 'drained':
            drains.get(message.id)?.(message.ok);
            drains.delete(message.id);
            break;
          case 'ingested':
            ingests.get(message.id)?.resolve(message.stored);
            ingests.delete(message.id);
            break;
          case 'log':
            options.log(message.level, message.message, message.where);
            break;
          case 'stopped':
            break;
        }
      });
      thread.on('error', (error) => {
        options.log('error', `pipeline thread failed: ${error.message}`, 'thread');
        if (!settled) {
          settled = true;
          reject(error);
        }
      });
      thread.on('exit', (code) => {
        ready = false;
        if (worker === thread) worker = undefined;
        for (const resolveDrain of drains.values()) resolveDrain(false);
        drains.clear();
        // Whether those bodies were committed is unknown: the sender gets a 503 and sends again (at least once).
        for (const ingest of ingests.values()) ingest.reject(new Error(`pipeline thread exited (${code})`));
        ingests.clear();
        if (!settled) {
          settled = true;
          reject(new Error(`pipeline thread exited (${code}) before it was ready`));
          return;
        }
        if (stopping) return;
        options.log('error', `pipeline thread exited (${code}); starting it again`, 'thread');
        restartTimer = setTimeout(() => {
          spawn().catch((error: unknown) => options.log('error', (error as Error).message, 'thread'));
        }, options.restartDelayMs ?? 1000);
        restartTimer.unref();
      });
    });
  }

  return {
    start: () => spawn(),
    wake() {
      if (ready) post({ type: 'wake' });
      else wakePending = true;
    },
    storeBody(body) {
      if (!worker || !ready) return storeHere(body);
      const id = ++nextIngestId;
      // A body that owns its whole memory moves to the thread without a copy; a small pooled one is copied.
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      return new Promise<StoredBody>((resolve, reject) => {
        ingests.set(id, { resolve, reject });
        post({ type: 'ingest', id, body }, owned ? [body.buffer] : undefined);
      });
    },
    routersChanged: () => post({ type: 'routers' }),
    drain(timeoutMs) {
      if (!worker || !ready) return Promise.resolve(false);
      const id = ++nextDrainId;
      return new Promise<boolean>((resolve) => {
        drains.set(id, resolve);
        post({ type: 'drain', id, timeoutMs });
      });
    },
    stop() {
      stopping ??= (async () => {
        if (restartTimer) clearTimeout(restartTimer);
        const thread = worker;
        if (!thread) return;
        const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
        post({ type: 'stop' });
        // The thread closes its databases and exits; a stuck one is terminated.
        const timer = setTimeout(() => void thread.terminate(), 15_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
    healthy: () => ready,
    routing: () => routing,
  };
}
