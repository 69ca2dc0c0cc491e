import { Worker } from 'node:worker_threads';
import { transformUnit, type LineTransformRuntime, type LineTransformSettings, type UnitInput, type UnitOutput } from './transform-lines.js';

/** Turns units of lines into records, in this thread or in worker threads. */
export interface LineTransformer {
  /** The unit's buffers may be handed over (detached) to another thread: do not use them after. */
  transform(unit: UnitInput): Promise<UnitOutput>;
  close(): Promise<void>;
}

/** Transforms in the calling thread (`--workers 0`, tests, or a context that cannot be copied); closes the runtime with it. */
export function createInlineTransformer(runtime: LineTransformRuntime): LineTransformer {
  return {
    transform: (unit) => transformUnit(unit, runtime),
    close: async () => {
      await runtime.close?.();
    },
  };
}

interface Task {
  id: number;
  unit: UnitInput;
  resolve: (output: UnitOutput) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  running: Map<number, Task>;
}

const YOUNG_GENERATION_MB = 8;

/** Units given to one worker at a time: the next is ready while the current one is transformed. */
const TASKS_PER_WORKER = 2;

/**
 * Transforms in `count` worker threads, so parsing and transforming (the CPU-bound part of a
 * replay) use every core while the main thread reads, batches and sends. Each worker builds its
 * own context from `settings` (plain data). A worker that dies fails every unit it held: the
 * replay stops there, and its checkpoints make the next run start where this one stopped.
 */
export function createWorkerTransformer(settings: LineTransformSettings, count: number): LineTransformer {
  const waiting: Task[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const pool: PoolWorker[] = [];

  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./transform-worker.js', import.meta.url), {
      workerData: settings,
      // Workers inherit the process flags; `--input-type` (a script given with -e) would stop them loading a file.
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
      // A small young generation: transforming allocates fast and V8 would otherwise let each
      // worker's nursery grow to 48 MB, most of a replay's RSS. Costs a few more scavenges.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const entry: PoolWorker = { worker, running: new Map() };
    worker.on('message', (message: { id: number; output: UnitOutput } | { id: number; error: string }) => {
      const task = entry.running.get(message.id);
      entry.running.delete(message.id);
      if ('error' in message) task?.reject(new Error(message.error));
      else task?.resolve(message.output);
      dispatch();
    });
    const fail = (error: Error): void => {
      failure ??= error;
      for (const task of entry.running.values()) task.reject(error);
      entry.running.clear();
      pool.splice(pool.indexOf(entry), 1);
      if (pool.length === 0) for (const task of waiting.splice(0)) task.reject(failure);
      else dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (pool.includes(entry)) fail(new Error(`transform worker exited with code ${code}`));
    });
    pool.push(entry);
  }

  function dispatch(): void {
    while (waiting.length > 0) {
      let best: PoolWorker | undefined;
      for (const entry of pool) {
        if (entry.running.size < TASKS_PER_WORKER && (best === undefined || entry.running.size < best.running.size)) best = entry;
      }
      if (best === undefined) return;
      const task = waiting.shift() as Task;
      best.running.set(task.id, task);
      best.worker.postMessage({ id: task.id, unit: task.unit }, transferable(task.unit));
    }
  }

  return {
    transform(unit) {
      if (pool.length === 0) return Promise.reject(failure ?? new Error('transform workers are closed'));
      return new Promise<UnitOutput>((resolve, reject) => {
        waiting.push({ id: nextId++, unit, resolve, reject });
        dispatch();
      });
    },
    async close() {
      const all = pool.splice(0);
      await Promise.all(all.map((entry) => entry.worker.terminate()));
    },
  };
}

/**
 * Buffers handed over without a copy: only those that own their whole ArrayBuffer (a small Buffer
 * may sit in Node's shared pool, which must not be detached; it is copied instead).
 */
function transferable(unit: UnitInput): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const view of [unit.bytes, unit.spans]) {
    const buffer = view.buffer;
    if (buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength && !out.includes(buffer)) out.push(buffer);
  }
  return out;
}
