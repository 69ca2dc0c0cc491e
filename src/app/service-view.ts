import type { RouterHealth } from '../delivery/observer.js';
import type { DeliveryCountersSnapshot } from '../observability/delivery-counters.js';
import type { InboxStats } from '../queue/inbox/port.js';
import type { DeadLetterStore, QueueStats } from '../queue/port.js';
import type { RouterStore } from '../storage/router-store.js';

/**
 * What the running service shows of itself to admin extensions (the web admin page,
 * `registerAdminUi(server, view)`): read access plus the dead-letter operations. Built once by
 * the composition root; every member reads live state.
 */
export interface ServiceView {
  readonly routers: RouterStore;
  /** Outbox depth, age and dead letters per router. */
  queueStats(): Promise<QueueStats>;
  readonly deadLetters: DeadLetterStore;
  /** Delivery state per router (healthy, circuit_open, rate_limited, unauthorized, disabled, stopped). */
  deliveryHealth(): RouterHealth[];
  /** Per-router counters since start (queued, delivered, retried, dead-lettered). */
  counters(): DeliveryCountersSnapshot;
  inboxStats(): InboxStats;
  /** Wakes delivery (after dead letters were put back in the outbox). */
  wakeDelivery(): void;
  /** The bearer token admin routes must require (see admin/auth.ts createTokenCheck). */
  readonly adminToken: string;
}
