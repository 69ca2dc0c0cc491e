import { Worker } from 'node:worker_threads';
import { openThreadChannel, type ThreadChannel } from '../core/thread-rpc.js';
import type { DeliveryQueue } from '../queue/port.js';
import { buildPipeline, type BuiltPipeline } from './build-pipeline.js';
import { replayCounts, type PipelineObserver } from './observer.js';
import type { PipelineParts, PipelinePartsHooks } from './open-pipeline-parts.js';
import { deserialiseItems } from './serialised-items.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { createBodyStore, type StoredBody } from '../sources/http/store-body.js';
import type { IdentityCountDelta, MainThreadSide, PipelineThreadData, PipelineThreadSide } from './thread-messages.js';
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
   * Reads a `POST /events` body (UTF-8 bytes) and stores its events in the inbox: through the
   * pipeline's inbox connection while the pipeline runs (`PipelineParts.inbox`, in whichever
   * thread), else through the main thread's. The body's memory is handed over: the caller must
   * not use it afterwards.
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

interface HostConnections {
  /** The main thread's outbox: the only connection that writes it. */
  readonly queue: Pick<DeliveryQueue, 'enqueue'>;
  /** The main thread's inbox connection: stores ingest bodies while the pipeline does not run. */
  readonly mainInbox: Pick<EventInbox, 'append'>;
}

/** What the parts' opener reports to the host (everything but where the parts are). */
export type PartsReports = Pick<PipelinePartsHooks, 'identityMetrics' | 'onRoutersError' | 'onRoutersLoaded' | 'onWarning' | 'onPluginError'>;

export interface InlineHostOptions extends PipelineHostEvents, HostConnections {
  /** Opens the pipeline's parts in this thread, at start (the composition root says from what). */
  readonly openParts: (reports: PartsReports) => Promise<PipelineParts>;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The pipeline in the calling thread (EVENT_ROUTER_PIPELINE_THREAD=false, tests). */
export function createInlinePipelineHost(options: InlineHostOptions): PipelineHost {
  let built: BuiltPipeline | undefined;
  let storePipelineBody: ((body: Buffer) => Promise<StoredBody>) | undefined;
  let stopping: Promise<void> | undefined;
  let routing = { version: -1, active: 0 };
  const storeMainBody = createBodyStore(options.mainInbox);
  return {
    async start() {
      const parts = await options.openParts({
        identityMetrics: options.identityMetrics,
        onRoutersError: (error) => options.log('error', describe(error), 'routers'),
        onRoutersLoaded: (version, active) => void (routing = { version, active }),
        onWarning: (message) => options.log('warn', message, 'routers'),
        onPluginError: (message) => options.log('warn', message, 'plugins'),
      });
      built = buildPipeline({
        parts,
        queue: options.queue,
        observer: options.observer,
        onEnqueued: (ids) => options.onEnqueued(ids),
        onError: (error) => options.log('error', describe(error), 'batch'),
        onStall: (message) => options.log('warn', message, 'stall'),
      });
      storePipelineBody = createBodyStore(parts.inbox);
      built.runner.start();
    },
    wake: () => built?.runner.wake(),
    storeBody: (body) => (storePipelineBody !== undefined && stopping === undefined ? storePipelineBody(body) : storeMainBody(body)),
    routersChanged: () => void built?.parts.routes.refresh(),
    drain: async (timeoutMs) => (built ? built.runner.drain(timeoutMs) : true),
    stop() {
      stopping ??= built?.close() ?? Promise.resolve();
      return stopping;
    },
    healthy: () => built?.runner.healthy() ?? false,
    routing: () => routing,
  };
}

export interface ThreadHostOptions extends PipelineHostEvents, HostConnections {
  readonly data: PipelineThreadData;
  /** Pause before a crashed thread is started again, ms. Default 1000. */
  readonly restartDelayMs?: number;
}

type PipelineThreadChannel = ThreadChannel<PipelineThreadSide>;

/**
 * The pipeline in a worker thread. A thread that dies is started again after a pause (its
 * batch in hand is simply taken again from the inbox: at least once).
 */
export function createThreadPipelineHost(options: ThreadHostOptions): PipelineHost {
  let worker: Worker | undefined;
  let channel: PipelineThreadChannel | undefined;
  let ready = false;
  let stopping: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let wakePending = false;
  let routing = { version: -1, active: 0 };
  const storeMainBody = createBodyStore(options.mainInbox);

  function spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      ready = false;
      const thread = new Worker(new URL('./pipeline-thread.js', import.meta.url), {
        workerData: options.data,
        // Workers inherit the process flags; `--input-type` (a script given with -e) would stop them loading a file.
        execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
      });
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      const link: PipelineThreadChannel = openThreadChannel<MainThreadSide, PipelineThreadSide>(thread, {
        requests: {
          // The thread's batch, written on this thread's outbox connection; a failure goes back as the thread's error.
          enqueue: (items) => options.queue.enqueue(deserialiseItems(items)),
        },
        notes: {
          ready: () => {
            ready = true;
            settle();
            if (wakePending) link.notify('wake');
            wakePending = false;
          },
          failed: ({ message }) => settle(new Error(`pipeline thread: ${message}`)),
          routers: ({ version, active }) => void (routing = { version, active }),
          counts: ({ pipeline, identity }) => {
            replayCounts(pipeline, options.observer);
            options.identityMetrics.add(identity);
          },
          log: ({ level, message, where }) => options.log(level, message, where),
        },
      });
      worker = thread;
      channel = link;
      thread.on('error', (error) => {
        options.log('error', `pipeline thread failed: ${error.message}`, 'thread');
        settle(error);
      });
      // The channel has rejected what waited (ingest bodies: whether they were committed is
      // unknown, so the sender gets a 503 and sends again; drains: false).
      thread.on('exit', (code) => {
        ready = false;
        if (worker === thread) {
          worker = undefined;
          channel = undefined;
        }
        if (!settled) {
          settle(new Error(`pipeline thread exited (${code}) before it was ready`));
          return;
        }
        if (stopping) return;
        options.log('error', `pipeline thread exited (${code}); starting it again`, 'thread');
        restartTimer = setTimeout(() => {
          spawn().catch((error: unknown) => options.log('error', describe(error), 'thread'));
        }, options.restartDelayMs ?? 1000);
        restartTimer.unref();
      });
    });
  }

  return {
    start: () => spawn(),
    wake() {
      if (ready) channel?.notify('wake');
      else wakePending = true;
    },
    storeBody(body) {
      if (!channel || !ready) return storeMainBody(body);
      // A body that owns its whole memory moves to the thread without a copy; a small pooled one is copied.
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      return channel.request('ingest', body, owned ? [body.buffer] : undefined);
    },
    routersChanged: () => channel?.notify('routers'),
    drain(timeoutMs) {
      if (!channel || !ready) return Promise.resolve(false);
      return channel.request('drain', timeoutMs).catch(() => false);
    },
    stop() {
      stopping ??= (async () => {
        if (restartTimer) clearTimeout(restartTimer);
        const thread = worker;
        if (!thread) return;
        const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
        channel?.notify('stop');
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
