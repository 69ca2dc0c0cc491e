import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import type { DeliveryQueue, DiscardedItems } from '../queue/port.js';
import { removeRouter, type RemoveRouter } from '../queue/remove-router.js';
import type { RouterStore } from '../storage/router-store.js';

export interface RouterRemoval {
  /** For the admin API and the admin page: remove, then count and log what went with the router. */
  readonly remove: RemoveRouter;
  /** Counts and logs items discarded with a deleted router (also the orphan sweep's report). */
  readonly discarded: (routerId: string, items: DiscardedItems) => void;
}

/** Every statement discarded with its router is counted (`events_dropped_total`, reason `router_deleted`) and logged. */
export function createRouterRemoval(deps: {
  routers: RouterStore;
  queue: Pick<DeliveryQueue, 'stats' | 'discardRouter'>;
  metrics: Pick<Metrics, 'outbox'>;
  log: Logger;
}): RouterRemoval {
  const discarded = (routerId: string, items: DiscardedItems): void => {
    if (items.queued > 0) deps.metrics.outbox.discarded(routerId, items.queued);
    if (items.queued > 0 || items.deadLetters > 0) {
      deps.log.warn(
        { destination: routerId, queued: items.queued, deadLetters: items.deadLetters, reason: 'router_deleted' },
        'discarded the items of a deleted router',
      );
    }
  };
  return {
    discarded,
    async remove(id, options) {
      const outcome = await removeRouter(deps, id, options);
      if (outcome.ok) discarded(id, outcome.discarded);
      return outcome;
    },
  };
}
