import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import type { Metrics } from '../observability/metrics.js';
import type { EventInbox } from '../queue/inbox/port.js';
import { safely } from '../sources/event-bus/observer.js';
import { createFollower, type Follower } from '../sources/follower/follower.js';
import type { FollowObserver } from '../sources/follower/observer.js';

/** Lines per commit: large enough to spread an fsync over many lines, small enough to fit a small inbox bound. */
export function linesPerCommit(maxDepth: number): number {
  return Math.max(1, Math.min(1000, Math.floor(maxDepth / 4)));
}

/** The tracking-log follower as the composition root runs it: metrics, logs, the inbox as its position store. */
export function createFollowComponent(settings: Settings, deps: { inbox: EventInbox; metrics: Metrics; onStored: () => void; log: Logger }): Follower {
  const { metrics, log } = deps;
  const lastFailureLog = new Map<string, number>();
  const observer: FollowObserver = {
    ...metrics.follow,
    rotated(path, kind) {
      safely(() => metrics.follow.rotated(path, kind));
      log.info({ path, kind }, 'followed file rotated');
    },
    paused(path, paused) {
      safely(() => metrics.follow.paused(path, paused));
      if (paused) log.warn({ path, maxDepth: settings.EVENT_ROUTER_INBOX_MAX_DEPTH }, 'inbox full: reading paused until the pipeline catches up');
      else log.info({ path }, 'inbox has room: reading again');
    },
    failure(path, error) {
      safely(() => metrics.follow.failure(path, error));
      // A lasting failure (a database outage) repeats every second: log it at most every 10 s.
      const now = Date.now();
      if (now - (lastFailureLog.get(path) ?? 0) < 10_000) return;
      lastFailureLog.set(path, now);
      log.warn({ path, error: error instanceof Error ? error.message : String(error) }, 'following failed; retrying');
    },
    notice(path, message) {
      log.warn({ path }, message);
    },
  };
  return createFollower({
    patterns: settings.EVENT_ROUTER_FOLLOW,
    store: deps.inbox,
    start: settings.EVENT_ROUTER_FOLLOW_START,
    observer: {
      ...observer,
      read(path, lines, bytes) {
        safely(() => metrics.follow.read(path, lines, bytes));
        if (lines > 0) safely(() => metrics.ingest.received('follow', lines));
      },
    },
    onStored: deps.onStored,
    pollMs: Math.round(settings.EVENT_ROUTER_FOLLOW_POLL_INTERVAL * 1000),
    maxLinesPerCommit: linesPerCommit(settings.EVENT_ROUTER_INBOX_MAX_DEPTH),
  });
}
