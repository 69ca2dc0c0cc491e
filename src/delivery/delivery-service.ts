import type { RouterHealth } from './observer.js';
import { type DeliveryRouter, sameRouter } from './router-config.js';
import { createDeliveryWorker, type DeliveryWorker, type WorkerSettings } from './worker.js';

/** Where the current routers come from (the control plane's router store). */
export interface DeliveryRouterSource {
  /** Every configured router, enabled or not. A router missing from the list is removed. */
  list(): Promise<readonly DeliveryRouter[]> | readonly DeliveryRouter[];
}

export interface DeliveryServiceOptions extends WorkerSettings {
  /** Polled every `refreshMs`; without it, call `setRouters` yourself. */
  routers?: DeliveryRouterSource;
  /** How often the source is read, ms: edits reach delivery within this. Default 2000. */
  refreshMs?: number;
}

/** One worker per router over the shared outbox. */
export interface DeliveryService {
  /** Subscribes to the outbox, reads the router source and starts the workers. */
  start(): Promise<void>;
  /** Adds, updates, disables and removes workers to match `routers`. Removing keeps the router's items queued. */
  setRouters(routers: readonly DeliveryRouter[]): void;
  /** Reads the router source now. */
  refresh(): Promise<void>;
  /** Wakes the workers of these routers (all when omitted); enqueues do this by themselves. */
  notify(routerIds?: readonly string[]): void;
  health(): RouterHealth[];
  /**
   * An operator's "retry now": the router's items waiting for a later attempt become due, and its
   * worker stops waiting and sends at once. Resolves with how many items were waiting.
   */
  retryNow(routerId: string): Promise<number>;
  /** Flushes every worker; true when all drained within the deadline. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Stops polling and shuts every worker down. Idempotent. Does not close the queue. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export function createDeliveryService(options: DeliveryServiceOptions): DeliveryService {
  const workers = new Map<string, { worker: DeliveryWorker; router: DeliveryRouter }>();
  const retiring = new Set<Promise<void>>();
  const refreshMs = options.refreshMs ?? 2000;
  let started = false;
  let stopping: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  const report = (error: unknown): void =>
    options.observer?.record({
      type: 'worker_error',
      routerId: '*',
      error: `router source: ${error instanceof Error ? error.message : String(error)}`,
    });

  function retire(worker: DeliveryWorker): void {
    const done = worker.shutdown().finally(() => retiring.delete(done));
    retiring.add(done);
  }

  function setRouters(routers: readonly DeliveryRouter[]): void {
    if (stopping) return;
    const seen = new Set<string>();
    for (const router of routers) {
      if (seen.has(router.id)) continue; // a duplicate id would make two workers race for one outbox
      seen.add(router.id);
      const entry = workers.get(router.id);
      if (!entry) {
        const worker = createDeliveryWorker(router, options);
        workers.set(router.id, { worker, router });
        if (started) worker.start();
      } else if (!sameRouter(entry.router, router)) {
        entry.worker.update(router);
        entry.router = router;
      }
    }
    for (const [id, entry] of workers) {
      if (seen.has(id)) continue;
      workers.delete(id);
      retire(entry.worker);
    }
  }

  async function refresh(): Promise<void> {
    if (!options.routers || stopping) return;
    try {
      setRouters(await options.routers.list());
    } catch (error) {
      report(error); // keep the routers we have; try again at the next tick
    }
  }

  function schedule(): void {
    if (!options.routers || stopping) return;
    timer = setTimeout(() => {
      void refresh().finally(schedule);
    }, refreshMs);
    timer.unref();
  }

  const service: DeliveryService = {
    async start() {
      if (started || stopping) return;
      started = true;
      unsubscribe = options.queue.onEnqueue((ids) => service.notify(ids));
      await refresh();
      for (const { worker } of workers.values()) worker.start();
      schedule();
    },
    setRouters,
    refresh,
    notify(routerIds) {
      if (!routerIds) {
        for (const { worker } of workers.values()) worker.notify();
        return;
      }
      for (const id of routerIds) workers.get(id)?.worker.notify();
    },
    health: () => [...workers.values()].map(({ worker }) => worker.health()),
    async retryNow(routerId) {
      // Items first: a worker woken before them would find nothing due and wait again.
      const waiting = await options.queue.retryNow(routerId);
      workers.get(routerId)?.worker.retryNow();
      return waiting;
    },
    async flush(timeoutMs) {
      const results = await Promise.all([...workers.values()].map(({ worker }) => worker.flush(timeoutMs)));
      return results.every(Boolean);
    },
    shutdown(timeoutMs) {
      stopping ??= (async () => {
        if (timer) clearTimeout(timer);
        unsubscribe?.();
        const all = [...workers.values()].map(({ worker }) => worker.shutdown(timeoutMs));
        workers.clear();
        await Promise.all([...all, ...retiring]);
      })();
      return stopping;
    },
  };
  return service;
}
