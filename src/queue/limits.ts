import { DEFAULT_MAX_DEPTH, type EnqueueOutcome, type NewQueueItem, type QueueLimits } from './port.js';

type Overflow = Extract<EnqueueOutcome, { ok: false }>;

/** Items per router in one enqueue call. */
export function countByRouter(items: readonly Pick<NewQueueItem, 'routerId'>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.routerId, (counts.get(item.routerId) ?? 0) + 1);
  return counts;
}

/**
 * Shared by every adapter so that they overflow alike: adding `adds` to the current depths
 * must stay within both limits, or nothing is added (all or nothing keeps ingest simple:
 * on overflow it answers 503 and the sender retries the whole request).
 */
export function checkDepthLimits(
  limits: QueueLimits,
  totalDepth: number,
  routerDepth: (routerId: string) => number,
  adds: ReadonlyMap<string, number>,
): Overflow | null {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  let added = 0;
  for (const n of adds.values()) added += n;
  if (totalDepth + added > maxDepth) {
    return { ok: false, reason: 'queue_overflow', scope: 'total', depth: totalDepth, maxDepth };
  }
  const perRouter = limits.maxDepthPerRouter;
  if (perRouter !== undefined) {
    for (const [routerId, n] of adds) {
      const depth = routerDepth(routerId);
      if (depth + n > perRouter) {
        return { ok: false, reason: 'queue_overflow', scope: 'router', routerId, depth, maxDepth: perRouter };
      }
    }
  }
  return null;
}
