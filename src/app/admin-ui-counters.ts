import type { CountersSnapshot } from '../admin/ui/admin-ui.js';
import type { DeliveryCountersSnapshot } from '../observability/delivery-counters.js';

/** The service's per-router counters in the shape the admin page shows (`received` = queued items). */
export function toAdminUiCounters(snapshot: DeliveryCountersSnapshot): CountersSnapshot {
  return {
    since: snapshot.since,
    routers: Object.fromEntries(
      snapshot.routers.map((r) => [
        r.routerId,
        { received: r.queued, delivered: r.delivered, retried: r.retried, deadLettered: r.deadLettered, failed: r.failed },
      ]),
    ),
  };
}
