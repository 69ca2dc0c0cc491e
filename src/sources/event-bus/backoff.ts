/** Exponential backoff for transient failures (sink, Redis, registry). */
export interface BackoffSettings {
  /** First delay, ms (default 200). */
  initialMs: number;
  /** Upper bound, ms (default 30 000). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 200, maxMs: 30_000 };

/** Delay before retry number `attempt` (1-based): doubling, capped, with ±20 % jitter. */
export function backoffDelayMs(attempt: number, settings: BackoffSettings = DEFAULT_BACKOFF): number {
  const base = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). The timer is unref'd. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Settles like `promise`, but rejects as soon as `signal` aborts (the work itself is not cancelled). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The command was already sent: its later failure (e.g. "Connection is closed" once stop()
    // drops the connection) must not surface as an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.reject(new Error('stopped'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** True when `promise` settled within `ms`. The timer keeps the process alive, so shutdown completes. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
