import type { ErrorsLog } from '../sources/tracking-log/errors-log.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { ReplayDestination } from './destination.js';
import type { LineTransformer } from './line-transformer.js';
import { UNLIMITED, type RateLimiter } from './rate-limiter.js';
import { ReplaySummary } from './replay-summary.js';
import { replaySource } from './source-run.js';
import type { ReplaySource } from './sources/replay-source.js';

export interface ReplayRunOptions {
  sources: readonly ReplaySource[];
  transformer: LineTransformer;
  destination: ReplayDestination;
  /** Undefined: no resume (dry run, `--no-checkpoint`). */
  checkpoints?: CheckpointStore;
  errors: ErrorsLog;
  /** Records per batch. */
  batchSize: number;
  /** Pause after each full batch of a source, ms. Default 0. */
  sleepMs?: number;
  /** Events-per-second ceiling shared by all sources. Default none. */
  limiter?: RateLimiter;
  /** Sources replayed at once. Default 1. */
  concurrency?: number;
  /** Abort to stop (interrupt): in-flight batches settle or abort, checkpoints stay where they were. */
  signal?: AbortSignal;
  /** The summary to count into (the progress reporter reads it live). Default a new one. */
  summary?: ReplaySummary;
}

/**
 * How a run ended:
 * - `completed`: every source was read to its end (some lines may still have been skipped);
 * - `partial`: some sources were unreadable from some line on (listed in the summary);
 * - `interrupted`: stopped from outside; run again to resume;
 * - `destination_failed`: the destination stayed unavailable; run again to resume.
 */
export type ReplayStatus = 'completed' | 'partial' | 'interrupted' | 'destination_failed';

export interface ReplayReport {
  status: ReplayStatus;
  summary: ReplaySummary;
  /** For `destination_failed`. */
  error?: string;
}

/**
 * Replays sources in order, `concurrency` at a time, into the destination. The first destination
 * failure stops every source (nothing is checkpointed past what was accepted); an unreadable
 * source is reported and the others go on.
 */
export async function runReplay(options: ReplayRunOptions): Promise<ReplayReport> {
  const summary = options.summary ?? new ReplaySummary();
  summary.sourcesTotal = options.sources.length;
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  let next = 0;
  let failure: string | undefined;
  let unreadable = 0;
  const context = {
    transformer: options.transformer,
    destination: options.destination,
    checkpoints: options.checkpoints,
    summary,
    errors: options.errors,
    limiter: options.limiter ?? UNLIMITED,
    batchSize: options.batchSize,
    sleepMs: options.sleepMs ?? 0,
    signal: stop.signal,
  };

  async function lane(): Promise<void> {
    while (!stop.signal.aborted && next < options.sources.length) {
      const source = options.sources[next++] as (typeof options.sources)[number];
      const result = await replaySource(source, context);
      if (result.status === 'unreadable') unreadable += 1;
      if (result.status === 'destination_failed') {
        failure ??= result.error;
        stop.abort();
      }
    }
  }

  try {
    const lanes = Math.max(1, Math.min(options.concurrency ?? 1, options.sources.length));
    // A lane that throws (a transform worker died) stops the others; the run ends once all stopped.
    const ends = await Promise.allSettled(
      Array.from({ length: lanes }, () =>
        lane().catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
    const thrown = ends.find((end): end is PromiseRejectedResult => end.status === 'rejected');
    if (thrown !== undefined) throw thrown.reason;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failure !== undefined) return { status: 'destination_failed', summary, error: failure };
  if (options.signal?.aborted) return { status: 'interrupted', summary };
  return { status: unreadable > 0 ? 'partial' : 'completed', summary };
}
