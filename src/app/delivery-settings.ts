import type { Settings } from '../config/schema.js';
import { createRetryPolicy, type RetryPolicy } from '../delivery/retry-policy.js';

/** The first retry of a statement waits about this long (docs/delivery.md, "Retries"). */
const FIRST_RETRY_MS = 1000;

/**
 * The retry policy from ERB's settings and ours. A statement's retries start after about 1 s and
 * double (with jitter) up to EVENT_ROUTING_BACKEND_COUNTDOWN, ERB's wait between retries, which
 * becomes the longest wait. A non-critical statement is dead-lettered (`retries_exhausted`) when
 * it still fails after its time budget: EVENT_ROUTER_RETRY_MAX_AGE, or ERB's retry window
 * (EVENT_ROUTING_BACKEND_MAX_RETRIES × COUNTDOWN) if that is longer, so a setting copied from
 * ERB never gives up sooner than ERB would have. The number of retries itself is not limited:
 * under random 503s a statement may fail several times in a row while the LRS works.
 * Business-critical statements and rate-limit waits (429) have no limit.
 */
export function retryPolicyFrom(settings: Settings): RetryPolicy {
  const countdownMs = Math.round(settings.EVENT_ROUTING_BACKEND_COUNTDOWN * 1000);
  return createRetryPolicy({
    initialDelayMs: Math.min(FIRST_RETRY_MS, countdownMs),
    maxDelayMs: countdownMs,
    maxAgeMs: Math.max(Math.round(settings.EVENT_ROUTER_RETRY_MAX_AGE * 1000), settings.EVENT_ROUTING_BACKEND_MAX_RETRIES * countdownMs),
  });
}
