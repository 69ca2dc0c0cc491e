import { createFileFollower, type FollowStart } from './file-follower.js';
import { expandFollowPattern, isGlob } from './follow-paths.js';
import type { FollowObserver } from './observer.js';
import type { ReadPositionStore } from './read-position.js';

export interface FollowerOptions {
  /** Paths or globs (EVENT_ROUTER_FOLLOW, `--follow`). */
  readonly patterns: readonly string[];
  readonly store: ReadPositionStore;
  readonly start: FollowStart;
  readonly observer: FollowObserver;
  /** Events were committed: wake the pipeline. */
  readonly onStored: (count: number) => void;
  /** Pause when a file has nothing new, ms. */
  readonly pollMs: number;
  /** Lines per inbox transaction at most. */
  readonly maxLinesPerCommit: number;
  /** How often globs are matched again for new files, ms. Default 10,000. */
  readonly rescanMs?: number;
}

/** The file follower as the composition root runs it (`serve --follow`, `consume --follow`). */
export interface Follower {
  /** What it follows, for the start-up notes. */
  readonly description: string;
  start(): Promise<void>;
  /** Started (its committed positions were read). */
  ready(): boolean;
  /** The paths followed now. */
  paths(): string[];
  /** Stops reading after the chunk in hand (committed or not: a chunk not committed is read again). Idempotent. */
  stop(): Promise<void>;
}

/** Follows every path the patterns name, one reader per path; globs are matched again every `rescanMs`. */
export function createFollower(options: FollowerOptions): Follower {
  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  let positions = new Map<string, Awaited<ReturnType<ReadPositionStore['readPositions']>>[number]>();
  let rescan: NodeJS.Timeout | undefined;
  let started = false;
  let stopping: Promise<void> | undefined;

  const follow = (path: string, start: FollowStart): void => {
    if (running.has(path) || abort.signal.aborted) return;
    const follower = createFileFollower({
      path,
      store: options.store,
      stored: positions.get(path),
      start,
      observer: options.observer,
      onStored: options.onStored,
      pollMs: options.pollMs,
      maxLinesPerCommit: options.maxLinesPerCommit,
    });
    running.set(path, follower.run(abort.signal));
  };

  /** The first scan starts new files where EVENT_ROUTER_FOLLOW_START says; a file a later scan finds appeared since: from its beginning. */
  const scan = async (start: FollowStart): Promise<void> => {
    for (const pattern of options.patterns) {
      for (const path of await expandFollowPattern(pattern)) follow(path, start);
    }
  };

  return {
    description: options.patterns.join(', '),
    async start() {
      positions = new Map((await options.store.readPositions()).map((p) => [p.path, p]));
      await scan(options.start);
      if (options.patterns.some(isGlob)) {
        rescan = setInterval(() => void scan('beginning').catch((error: unknown) => options.observer.failure('(glob)', error)), options.rescanMs ?? 10_000);
        rescan.unref();
      }
      started = true;
    },
    ready: () => started && !abort.signal.aborted,
    paths: () => [...running.keys()],
    stop() {
      stopping ??= (async () => {
        if (rescan) clearInterval(rescan);
        abort.abort();
        await Promise.all(running.values());
      })();
      return stopping;
    },
  };
}
