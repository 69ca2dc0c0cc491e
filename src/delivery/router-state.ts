import type { DeliveryObserver, RouterHealth } from './observer.js';
import type { RetryPolicy } from './retry-policy.js';
import type { SettlePlan } from './settle-plan.js';

export interface RouterStateOptions {
  routerId: string;
  now: () => number;
  policy: RetryPolicy;
  observer: DeliveryObserver;
  /** See WorkerSettings.failuresBeforePause. */
  failuresBeforePause: number;
  /** See WorkerSettings.unauthorizedRetryMs. */
  unauthorizedRetryMs: number;
}

/** What the worker knows that health depends on. */
export interface WorkerFacts {
  started: boolean;
  running: boolean;
  enabled: boolean;
  inFlight: number;
}

/**
 * Whether a router may send, and its health. The router-wide pause keeps an outage from
 * burning through the outbox batch after batch: it grows with consecutive failed requests
 * (backoff by the retry policy) and ends with the first success; a 401 pauses until new
 * credentials arrive or `unauthorizedRetryMs` passes.
 */
export function createRouterState(options: RouterStateOptions) {
  const { routerId, now, policy, observer, failuresBeforePause, unauthorizedRetryMs } = options;
  let pausedUntil = 0;
  let unauthorized = false;
  let consecutiveFailures = 0;
  let lastError: string | null = null;
  let health: RouterHealth | null = null;

  function snapshot(facts: WorkerFacts): RouterHealth {
    const at = now();
    const state: RouterHealth['state'] =
      facts.started && !facts.running
        ? 'stopped'
        : !facts.enabled
          ? 'disabled'
          : unauthorized
            ? 'unauthorized'
            : consecutiveFailures > 0 || pausedUntil > at
              ? 'backing_off'
              : 'healthy';
    const since = health?.state === state ? health.since : at;
    return { routerId, state, since, pausedUntil: pausedUntil > at ? pausedUntil : null, lastError, inFlight: facts.inFlight };
  }

  return {
    /** Epoch ms before which nothing is leased (0 when not paused). */
    pausedUntil: () => pausedUntil,
    paused: () => now() < pausedUntil,

    /** Learns from a settled batch sent with the current configuration. */
    afterSend(plan: SettlePlan): void {
      const at = now();
      if (plan.lastError !== null) lastError = plan.lastError;
      if (plan.unauthorized) {
        unauthorized = true;
        pausedUntil = Math.max(pausedUntil, at + unauthorizedRetryMs);
        return;
      }
      if (plan.failure) {
        consecutiveFailures += 1;
        // A lone failure among successes only delays its own statements; a Retry-After always pauses.
        if (consecutiveFailures >= failuresBeforePause || plan.failure.retryAfterMs !== undefined) {
          const attempt = Math.max(1, consecutiveFailures - failuresBeforePause + 1);
          const decision = policy(attempt, plan.failure, 0, { businessCritical: true });
          if ('retryInMs' in decision) pausedUntil = Math.max(pausedUntil, at + decision.retryInMs);
        }
        return;
      }
      if (plan.delivered.length > 0) {
        consecutiveFailures = 0;
        unauthorized = false;
        lastError = null;
      }
    },

    /** A new URL or new credentials deserve a try now, not after the old destination's pause. */
    reset(): void {
      pausedUntil = 0;
      unauthorized = false;
      consecutiveFailures = 0;
    },

    health(facts: WorkerFacts): RouterHealth {
      health = snapshot(facts);
      return health;
    },

    /** Recomputes health and reports a change of state. */
    refresh(facts: WorkerFacts): void {
      const previous = health?.state;
      health = snapshot(facts);
      if (previous !== undefined && health.state !== previous) observer.record({ type: 'health', routerId, health });
    },
  };
}

export type RouterState = ReturnType<typeof createRouterState>;
