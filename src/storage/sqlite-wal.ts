import type Database from 'better-sqlite3';

/**
 * Size a WAL file is cut back to once a checkpoint has emptied it. Without a limit SQLite keeps
 * the file at the largest size it ever reached, so the space a burst of writes took (deliveries
 * settling a large backlog, say) never returns to a disk that had filled up.
 */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** Write-ahead logging, with the WAL file kept small between bursts. */
export function useWriteAheadLog(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}
