/**
 * Group commit: calls made in the same turn of the event loop are run as one batch (one
 * transaction, one fsync) on the next turn, and each call gets its own result. With
 * `synchronous = FULL` a commit costs an fsync that blocks the event loop, so an ingest doing
 * one enqueue per request would otherwise be capped at one request per fsync.
 */
export interface GroupCommit<I, O> {
  submit(input: I): Promise<O>;
  /** Runs what is waiting now (before closing the database). */
  flush(): void;
}

export function createGroupCommit<I, O>(run: (inputs: readonly I[]) => O[]): GroupCommit<I, O> {
  let pending: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];

  function commit(): void {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      const outputs = run(batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(outputs[i] as O));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  return {
    submit: (input) =>
      new Promise<O>((resolve, reject) => {
        if (pending.length === 0) setImmediate(commit);
        pending.push({ input, resolve, reject });
      }),
    flush: commit,
  };
}
