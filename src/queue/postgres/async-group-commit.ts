/**
 * Group commit over a network database: calls that arrive while a batch is being written wait
 * and go together in the next one (plus those of the same event-loop turn), so under load one
 * statement carries many calls and an idle queue still writes at once. One batch at a time per
 * instance, which also keeps each instance's depth checks exact.
 */
export interface AsyncGroupCommit<I, O> {
  submit(input: I, size: number): Promise<O>;
  /** Resolves once everything submitted so far has been written (or has failed). */
  drain(): Promise<void>;
}

interface Waiting<I, O> {
  input: I;
  size: number;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/** `maxBatch` bounds the items (by `size`) of one batch; a single larger call still goes alone. */
export function createAsyncGroupCommit<I, O>(run: (inputs: readonly I[]) => Promise<O[]>, maxBatch: number): AsyncGroupCommit<I, O> {
  const waiting: Waiting<I, O>[] = [];
  let running: Promise<void> | undefined;
  let scheduled = false;

  function takeBatch(): Waiting<I, O>[] {
    let total = 0;
    let count = 0;
    while (count < waiting.length) {
      const size = waiting[count]?.size ?? 0;
      if (count > 0 && total + size > maxBatch) break;
      total += size;
      count++;
    }
    return waiting.splice(0, count);
  }

  function kick(): void {
    scheduled = false;
    if (running !== undefined || waiting.length === 0) return;
    const batch = takeBatch();
    running = run(batch.map((w) => w.input))
      .then(
        (outputs) => batch.forEach((w, i) => w.resolve(outputs[i] as O)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        running = undefined;
        kick();
      });
  }

  return {
    submit(input, size) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ input, size, resolve, reject });
        if (running === undefined && !scheduled) {
          scheduled = true;
          setImmediate(kick);
        }
      });
    },
    async drain() {
      while (running !== undefined || waiting.length > 0) {
        if (running === undefined) kick();
        await running;
      }
    },
  };
}
