import type { DeferReason, NoteKind, SkipReason } from '../core/drop-reason.js';
import type { OutputFormat } from '../transforms/transform-event.js';

/**
 * What the pipeline counts (architecture §14). Every method takes its labels and a count, so
 * that a pipeline in a worker thread can ship the counts to the main thread as plain data
 * (`createCountBuffer`) and the main thread replays them into Prometheus (`replayCounts`).
 */
export interface PipelineObserver {
  /** Inbox entries that were not an event after all (cannot happen for what ingest validated). */
  invalid(reason: 'unparsable_line' | 'invalid_event', n: number): void;
  /** Events a backend filter (EVENT_ROUTER_BACKEND_PROCESSORS, allow-lists) excluded. */
  filtered(backend: OutputFormat, n: number): void;
  /** Events transformed into at least one statement. */
  transformed(backend: OutputFormat, n: number): void;
  /** Statements (xAPI) or events (Caliper) produced. */
  statements(backend: OutputFormat, n: number): void;
  skipped(backend: OutputFormat, reason: SkipReason, n: number): void;
  noted(backend: OutputFormat, note: NoteKind, n: number): void;
  /** Transformed events that no enabled router of the backend matched (logged, not sent, as ERB). */
  unrouted(backend: OutputFormat, n: number): void;
  /** Items put into one router's outbox. */
  queued(routerId: string, n: number): void;
  /** Events left in the inbox for later. */
  deferred(reason: DeferReason, n: number): void;
  /** Lines written to a statement log stream. */
  logged(backend: OutputFormat, n: number): void;
}

type Method = keyof PipelineObserver;
const METHODS: readonly Method[] = ['invalid', 'filtered', 'transformed', 'statements', 'skipped', 'noted', 'unrouted', 'queued', 'deferred', 'logged'];

/** Counts as plain data: `[method, labels, n]`. */
export type CountDelta = Array<[string, string[], number]>;

/** Adds counts up in memory; `take()` returns and clears them. */
export interface CountBuffer {
  readonly observer: PipelineObserver;
  take(): CountDelta;
  /** Adds what `other` holds (and clears it). */
  absorb(other: CountBuffer): void;
}

export function createCountBuffer(): CountBuffer {
  let counts = new Map<string, { method: string; labels: string[]; n: number }>();
  const add = (method: string, labels: string[], n: number): void => {
    if (n === 0) return;
    const key = `${method}\u0000${labels.join('\u0000')}`;
    const entry = counts.get(key);
    if (entry) entry.n += n;
    else counts.set(key, { method, labels, n });
  };
  const observer = Object.fromEntries(
    METHODS.map((method) => [
      method,
      (...args: unknown[]) => {
        const n = args.at(-1) as number;
        add(method, args.slice(0, -1) as string[], n);
      },
    ]),
  ) as unknown as PipelineObserver;
  const buffer: CountBuffer = {
    observer,
    take() {
      const delta: CountDelta = [...counts.values()].map((e) => [e.method, e.labels, e.n]);
      counts = new Map();
      return delta;
    },
    absorb(other) {
      for (const [method, labels, n] of other.take()) add(method, labels, n);
    },
  };
  return buffer;
}

/** Plays counts (from a buffer, possibly of another thread) into an observer. */
export function replayCounts(delta: CountDelta, target: PipelineObserver): void {
  for (const [method, labels, n] of delta) {
    if (!(METHODS as readonly string[]).includes(method)) continue;
    (target[method as Method] as (...args: unknown[]) => void)(...labels, n);
  }
}

export const NOOP_PIPELINE_OBSERVER: PipelineObserver = Object.fromEntries(METHODS.map((method) => [method, () => {}])) as unknown as PipelineObserver;
