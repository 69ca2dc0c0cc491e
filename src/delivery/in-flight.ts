/** Bounded concurrency that takes task producers, so a refused task is never started (Sentry's promise buffer). */
export interface InFlight {
  readonly size: number;
  readonly limit: number;
  /** Starts the task when below the limit; false (task not started) when full. */
  tryRun(task: () => Promise<void>): boolean;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** `onError` sees what a task throws; tasks are expected to handle their own failures. */
export function createInFlight(limit: number, onError: (error: unknown) => void = () => {}): InFlight {
  const running = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];

  function settled(promise: Promise<void>): void {
    running.delete(promise);
    if (running.size === 0) {
      const done = waiters;
      waiters = [];
      for (const wake of done) wake();
    }
  }

  return {
    get size() {
      return running.size;
    },
    limit,
    tryRun(task) {
      if (running.size >= limit) return false;
      const promise: Promise<void> = Promise.resolve()
        .then(task)
        .catch(onError)
        .finally(() => settled(promise));
      running.add(promise);
      return true;
    },
    drain(timeoutMs) {
      if (running.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        // Not unref'd: whoever awaits a drain (shutdown) must keep the process alive until it ends.
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
