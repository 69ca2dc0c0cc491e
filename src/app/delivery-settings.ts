import type { Settings } from '../config/schema.js';
import { createRetryPolicy, type RetryPolicy } from '../delivery/retry-policy.js';

/**
 * The retry policy from ERB's settings and ours: the first retry after
 * EVENT_ROUTING_BACKEND_COUNTDOWN, doubling up to EVENT_ROUTER_RETRY_MAX_DELAY; a non-critical
 * statement is dead-lettered (`retries_exhausted`) after EVENT_ROUTING_BACKEND_MAX_RETRIES retries
 * or EVENT_ROUTER_RETRY_MAX_AGE, whichever comes first. Business-critical statements
 * (EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS) and rate-limit waits (429) are not limited.
 */
export function retryPolicyFrom(settings: Settings): RetryPolicy {
  const base = createRetryPolicy({
    initialDelayMs: Math.round(settings.EVENT_ROUTING_BACKEND_COUNTDOWN * 1000),
    maxDelayMs: Math.round(settings.EVENT_ROUTER_RETRY_MAX_DELAY * 1000),
    maxAgeMs: Math.round(settings.EVENT_ROUTER_RETRY_MAX_AGE * 1000),
  });
  const maxRetries = settings.EVENT_ROUTING_BACKEND_MAX_RETRIES;
  return (attempt, outcome, elapsedMs, item) => {
    const critical = item?.businessCritical ?? false;
    // `attempt` is the number of the failure that just happened: retries so far = attempt - 1.
    if (!critical && outcome.response.statusCode !== 429 && attempt > maxRetries) return { giveUp: true };
    return base(attempt, outcome, elapsedMs, item);
  };
}
