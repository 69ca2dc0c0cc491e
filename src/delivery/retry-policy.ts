import type { DeliveryOutcome } from './outcome.js';

export type RetryableOutcome = Extract<DeliveryOutcome, { status: 'retryable' }>;

export interface RetryPolicyOptions {
  /** Delay after the first failure, ms. Default 1000. */
  initialDelayMs?: number;
  /** Growth of the delay per further failure. Default 2. */
  multiplier?: number;
  /** Largest backoff delay, ms. Default 30000. */
  maxDelayMs?: number;
  /** Spread of the delay, 0…1: 0.2 gives delay × [0.8, 1.2]. Default 0.2. */
  jitter?: number;
  /** Largest Retry-After honoured, ms; longer ones are cut to this. Default 600000 (10 min). */
  maxRetryAfterMs?: number;
  /**
   * How long a non-critical item may keep failing, ms from its first failure, before it is
   * dead-lettered. Business-critical items are retried until delivered. Default 86400000 (24 h).
   */
  maxAgeMs?: number;
  /** Source of randomness in [0, 1); tests pass a constant. Default Math.random. */
  random?: () => number;
}

export type RetryDecision = { retryInMs: number } | { giveUp: true };

/**
 * The retry policy (architecture §7) as a pure function of its inputs (randomness injected):
 * `attempt` is the number of the failure that just happened (1 for the first), `elapsedMs`
 * the time since the item first failed. `sample` (in [0, 1)) replaces the policy's own random draw
 * for the jitter, so that the statements of one failed request can share one delay and stay
 * together as a batch.
 */
export type RetryPolicy = (
  attempt: number,
  outcome: RetryableOutcome,
  elapsedMs: number,
  item?: { businessCritical: boolean },
  sample?: number,
) => RetryDecision;

export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const initial = options.initialDelayMs ?? 1000;
  const multiplier = options.multiplier ?? 2;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const maxRetryAfter = options.maxRetryAfterMs ?? 600_000;
  const maxAge = options.maxAgeMs ?? 86_400_000;
  const random = options.random ?? Math.random;

  return (attempt, outcome, elapsedMs, item, sample) => {
    // A rate limit says the LRS is alive and wants us slower, not that delivery is failing,
    // so its waits stay out of the retry budget (Segment's rule).
    const rateLimited = outcome.response.statusCode === 429;
    const critical = item?.businessCritical ?? false;
    if (!critical && !rateLimited && elapsedMs >= maxAge) return { giveUp: true };
    let delay: number;
    if (outcome.retryAfterMs !== undefined) {
      delay = Math.min(Math.max(0, outcome.retryAfterMs), maxRetryAfter);
    } else {
      const exponent = Math.max(0, attempt - 1);
      const base = Math.min(maxDelay, initial * multiplier ** Math.min(exponent, 64));
      delay = Math.min(maxDelay, base * (1 - jitter + 2 * jitter * (sample ?? random())));
    }
    // The last attempt of a non-critical item happens when its budget runs out, not after.
    if (!critical && !rateLimited) delay = Math.min(delay, Math.max(0, maxAge - elapsedMs));
    return { retryInMs: Math.round(delay) };
  };
}
