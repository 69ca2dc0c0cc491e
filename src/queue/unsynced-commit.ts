import type { Database } from 'better-sqlite3';

/**
 * Runs a write whose loss on a power cut is harmless without an fsync of its own, on a
 * connection that otherwise fsyncs every commit (`synchronous = FULL`). In WAL mode the log is
 * one sequential file, so the next synced commit (an enqueue, an append) makes it durable too.
 * With `normal` nothing changes: no commit is synced anyway.
 */
export function createUnsyncedCommit(db: Database, synchronous: 'full' | 'normal' | undefined): <T>(work: () => T) => T {
  if (synchronous === 'normal') return (work) => work();
  const relax = db.prepare('PRAGMA synchronous = NORMAL');
  const restore = db.prepare('PRAGMA synchronous = FULL');
  return (work) => {
    relax.run();
    try {
      return work();
    } finally {
      restore.run();
    }
  };
}
