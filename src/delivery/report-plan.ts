import type { DeliveryObserver } from './observer.js';
import type { SettlePlan } from './settle-plan.js';

/** Reports a settled batch: delivered (with per-statement latency), retried, dead-lettered by reason. */
export function reportPlan(plan: SettlePlan, routerId: string, observer: DeliveryObserver, nowMs: number): void {
  if (plan.delivered.length > 0) {
    observer.record({
      type: 'delivered',
      routerId,
      count: plan.delivered.length,
      latenciesMs: plan.delivered.map((item) => nowMs - item.enqueuedAt),
    });
  }
  if (plan.retried.length > 0) {
    observer.record({
      type: 'retried',
      routerId,
      count: plan.retried.length,
      error: plan.retried[0]?.error ?? '',
      retryInMs: Math.min(...plan.retried.map((r) => r.retryInMs)),
    });
  }
  for (const reason of new Set(plan.dead.map((d) => d.reason))) {
    const dead = plan.dead.filter((d) => d.reason === reason);
    observer.record({ type: 'dead_lettered', routerId, count: dead.length, reason, error: dead[0]?.error ?? '' });
  }
}
