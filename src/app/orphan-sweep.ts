import type { DeliveryQueue, DiscardedItems } from '../queue/port.js';
import type { RouterStore } from '../storage/router-store.js';

export interface OrphanSweepOptions {
  readonly queue: Pick<DeliveryQueue, 'stats' | 'discardRouter'>;
  readonly routers: Pick<RouterStore, 'list' | 'watch'>;
  /** Called for each router whose leftovers were discarded (count them as `router_deleted`). */
  readonly onDiscarded: (routerId: string, discarded: DiscardedItems) => void;
  readonly onError: (error: unknown) => void;
  /** Sweep this long after a router change, ms: late enqueues of a stale routing table land first. Default 3000. */
  readonly afterChangeMs?: number;
  /** And every this many ms regardless (a batch in flight when its router went, dead-lettered later). Default 60000. */
  readonly intervalMs?: number;
}

export interface OrphanSweep {
  /** One sweep now; resolves with what was discarded, by router. */
  sweep(): Promise<Map<string, DiscardedItems>>;
  stop(): void;
}

/**
 * Removes the outbox items and dead letters of routers that no longer exist. Deleting a router
 * discards its items at once (queue/remove-router.ts); this catches the ones that arrive after: the
 * pipeline thread, another instance or a CLI deletion learn of a change only within a second
 * or so and may still enqueue for the deleted router, and a batch in flight when it went may
 * be dead-lettered afterwards. Also cleans what deletions left before this existed.
 *
 * Router ids are never reused, and a router exists before anything is queued for it, so an id
 * with items that the store does not know (read after the outbox) belongs to a deleted router.
 */
export function startOrphanSweep(options: OrphanSweepOptions): OrphanSweep {
  let stopped = false;
  let running: Promise<Map<string, DiscardedItems>> | undefined;
  const timers = new Set<NodeJS.Timeout>();

  async function sweepOnce(): Promise<Map<string, DiscardedItems>> {
    const discarded = new Map<string, DiscardedItems>();
    const holding = (await options.queue.stats()).routers.filter((r) => r.depth > 0 || r.deadLetters > 0);
    if (holding.length === 0) return discarded;
    const known = new Set((await options.routers.list()).map((r) => r.id));
    for (const { routerId } of holding) {
      if (known.has(routerId) || stopped) continue;
      const gone = await options.queue.discardRouter(routerId);
      if (gone.queued > 0 || gone.deadLetters > 0) {
        discarded.set(routerId, gone);
        options.onDiscarded(routerId, gone);
      }
    }
    return discarded;
  }

  // One sweep at a time; a request during a sweep waits for it.
  const sweep = (): Promise<Map<string, DiscardedItems>> => {
    running ??= sweepOnce().finally(() => (running = undefined));
    return running;
  };
  const later = (ms: number): void => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      sweep().catch(options.onError);
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const watch = options.routers.watch(() => later(options.afterChangeMs ?? 3000));
  const interval = setInterval(() => void sweep().catch(options.onError), options.intervalMs ?? 60_000);
  interval.unref();
  later(0);

  return {
    sweep,
    stop() {
      stopped = true;
      watch.close();
      clearInterval(interval);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
