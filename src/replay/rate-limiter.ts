import { sleep } from './sleep.js';

/** An events-per-second ceiling shared by every source of a run (`--rate`). */
export interface RateLimiter {
  /** Waits until `count` events may go; resolves early when `signal` aborts. */
  take(count: number, signal?: AbortSignal): Promise<void>;
}

export const UNLIMITED: RateLimiter = { take: async () => {} };

/**
 * A token bucket refilled at `perSecond`, holding at most one second of tokens (so a pause does
 * not buy a burst bigger than the ceiling). A batch larger than the bucket borrows: it goes when
 * the bucket is full and leaves a debt the next batches wait out, so the long-run rate still
 * holds at any batch size. `now` is injectable for tests.
 */
export function createRateLimiter(perSecond: number, now: () => number = () => performance.now()): RateLimiter {
  if (!(perSecond > 0)) throw new RangeError('rate must be a positive number of events per second');
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let updatedAt = now();
  // Takers queue up, so one large batch is not overtaken forever by small ones.
  let tail: Promise<void> = Promise.resolve();

  function refill(): void {
    const at = now();
    tokens = Math.min(capacity, tokens + ((at - updatedAt) / 1000) * perSecond);
    updatedAt = at;
  }

  return {
    take(count, signal) {
      const turn = tail.then(async () => {
        refill();
        const needed = Math.min(count, capacity);
        while (tokens < needed && !signal?.aborted) {
          await sleep(Math.ceil(((needed - tokens) / perSecond) * 1000), signal);
          refill();
        }
        tokens -= count;
      });
      tail = turn;
      return turn;
    },
  };
}
