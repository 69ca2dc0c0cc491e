import type { BatchResult } from './process-batch.js';

/**
 * One step of the loop: a batch taken and transformed, whose writes (`committed`) have begun.
 * 'empty': the inbox had nothing due.
 */
export type StartedBatch = { kind: 'empty' } | { kind: 'started'; committed: Promise<BatchResult> };

/**
 * The pipeline loop (architecture §13 lifecycle): takes batches from the inbox while there are
 * any, then sleeps until woken (new events), until the next deferred event is due, or for
 * `pollMs` (events added by another process). A full outbox pauses it for `stallMs`; an
 * unexpected error for a growing backoff. Nothing here starts at construction.
 *
 * The next batch is prepared while the one before it is being written: the outbox write happens
 * on the main thread, and the pipeline's core would otherwise wait for it (about 45 % of a
 * batch's time under load). At most one batch is being written at a time.
 */
export interface PipelineRunner {
  start(): void;
  /** New events are in the inbox. */
  wake(): void;
  /** Processes until no due event is left in the inbox; false when the deadline came first. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops after the batch in hand. Idempotent. */
  stop(): Promise<void>;
  /** True while the loop runs without a failure in its last batch. */
  healthy(): boolean;
}

export interface PipelineRunnerOptions {
  /** One step: `prepareNextBatch`, then `commitBatch` started and not awaited. */
  step: () => Promise<StartedBatch>;
  /** Epoch ms of the next deferred event, or null. */
  nextDueAt: () => number | null;
  /** Items went to the outbox for these routers. */
  onEnqueued?: (routerIds: readonly string[]) => void;
  onStall?: (message: string) => void;
  onError?: (error: unknown) => void;
  /** Look at the inbox at least this often, ms. Default 1000. */
  pollMs?: number;
  /** Pause after the outbox was full, ms. Default 1000. */
  stallMs?: number;
  now?: () => number;
}

export function createPipelineRunner(options: PipelineRunnerOptions): PipelineRunner {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  const stallMs = options.stallMs ?? 1000;
  let running = false;
  let loop: Promise<void> | null = null;
  let sleeping: { timer: NodeJS.Timeout; resolve: () => void; wakeable: boolean } | null = null;
  let woken = false;
  let failures = 0;
  const idleWaiters: Array<() => void> = [];
  let idle = false;

  function sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          sleeping = null;
          resolve();
        },
        Math.max(0, ms),
      );
      sleeping = { timer, resolve, wakeable };
      // While asleep this loop must not keep the process alive: other components own that.
      timer.unref();
    });
  }

  /** Ends the current sleep: any sleep when stopping, else only one that new events may cut short. */
  function interrupt(force: boolean): void {
    if (!sleeping || (!force && !sleeping.wakeable)) return;
    const { timer, resolve } = sleeping;
    clearTimeout(timer);
    sleeping = null;
    resolve();
  }

  type Written = { result: BatchResult } | { error: unknown };

  /** Reports a batch's writes once done: what the loop does next depends on it. */
  async function reported(writing: Promise<Written>): Promise<'processed' | 'stalled' | 'failed'> {
    const written = await writing;
    if ('error' in written) {
      failures += 1;
      options.onError?.(written.error);
      return 'failed';
    }
    const { result } = written;
    if (result.kind === 'stalled') {
      options.onStall?.(result.message);
      return 'stalled';
    }
    if (result.kind === 'processed' && result.routerIds.length > 0) options.onEnqueued?.(result.routerIds);
    return 'processed';
  }

  async function run(): Promise<void> {
    let writing: Promise<Written> | null = null;
    while (running) {
      woken = false;
      let started: StartedBatch;
      try {
        started = await options.step();
      } catch (error) {
        if (writing) await reported(writing);
        writing = null;
        failures += 1;
        options.onError?.(error);
        await sleep(backoffMs(), false);
        continue;
      }
      const previous = writing;
      // A handler at once: a write that fails while the loop waits elsewhere is not left unhandled.
      writing =
        started.kind === 'started'
          ? started.committed.then(
              (result) => ({ result }),
              (error: unknown) => ({ error }),
            )
          : null;
      const status = previous ? await reported(previous) : null;
      if (status === 'stalled' || status === 'failed') {
        // The inbox was rewound: the batch taken meanwhile finishes before anything is taken again.
        if (writing) await reported(writing);
        writing = null;
        idle = false;
        await sleep(status === 'failed' ? backoffMs() : stallMs, false);
        continue;
      }
      failures = 0;
      if (writing || previous) {
        idle = false;
        // Let messages, timers and I/O of this thread in between batches.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      idle = true;
      for (const resolve of idleWaiters.splice(0)) resolve();
      const due = options.nextDueAt();
      const until = due === null ? pollMs : Math.min(pollMs, Math.max(0, due - now()));
      await sleep(until, true);
    }
    // Stopping: the batch being written finishes (its events leave the inbox or are taken again).
    if (writing) await reported(writing);
  }

  const backoffMs = (): number => Math.min(30_000, 200 * 2 ** Math.min(failures, 10));

  return {
    start() {
      if (running || loop) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      idle = false;
      interrupt(false);
    },
    async drain(timeoutMs) {
      if (!running) return idle;
      this.wake();
      let timer: NodeJS.Timeout | undefined;
      const reached = await Promise.race([
        new Promise<boolean>((resolve) => idleWaiters.push(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      return reached;
    },
    async stop() {
      running = false;
      interrupt(true);
      for (const resolve of idleWaiters.splice(0)) resolve();
      await loop;
    },
    healthy: () => running && failures === 0,
  };
}
