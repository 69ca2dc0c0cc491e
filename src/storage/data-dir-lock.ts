import Database from 'better-sqlite3';
import { join } from 'node:path';
import { preparePrivateSqliteFile } from './private-files.js';

/** The lock file of a running `serve` or `consume`, in the data directory. */
export const LOCK_FILE = 'service.lock';

export interface DataDirLock {
  readonly path: string;
  /** Idempotent. */
  release(): void;
}

/** A second service on a data directory that one already uses. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
  ) {
    super(
      `the data directory ${dataDir} is in use by another edx-event-router process (it holds the lock on ${lockPath}); ` +
        'stop that process, or give this one its own --data-dir',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * One service per data directory: two would share the SQLite inbox and outbox, and each would take
 * the other's leased items back at its start (duplicates at the LRS). Taken before anything else
 * in the directory is opened; CLI commands (routers, dead letters) do not take it, they share the
 * control-plane database with the running service on purpose.
 *
 * The lock is SQLite's own: an exclusive transaction on a small file, which SQLite holds with an
 * fcntl lock. The kernel drops that lock when the process ends, however it ends, so a kill -9
 * leaves nothing stale behind (no pid file to check, no pid reuse to get wrong, e.g. pid 1 in a
 * container). It works within one process too (SQLite tracks its own connections).
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  preparePrivateSqliteFile(path);
  const db = new Database(path, { timeout: 0 });
  try {
    // Rollback journal: the exclusive lock is on the file itself (WAL would take it on the -shm).
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true) throw new DataDirInUseError(dataDir, path);
    throw error;
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      db.close();
    },
  };
}
