import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { MigrationSet } from '../storage/run-migrations.js';
import { openMigratedSqlite } from '../storage/sqlite-migrations.js';
import type { ByteEncoding } from '../sources/tracking-log/decoded-bytes.js';

/**
 * How far a source has been replayed: every line up to `lines` (ending at byte `bytes` of the
 * decoded text) was accepted by the destination. A plain source resumes by seeking to `bytes`,
 * a gzip or streamed one by skipping `lines` lines.
 */
export interface Checkpoint {
  /** The source's identity: path + size + mtime, or `s3://bucket/key` + ETag. */
  identity: string;
  /** Its name, for people reading the file. */
  source: string;
  encoding: ByteEncoding;
  lines: number;
  bytes: number;
  /** The whole source was replayed. */
  done: boolean;
}

/**
 * Checkpoints of one replay scope: format, destination and selection (`--since`, `--until`,
 * `--events`). The SQLite file answers at once; the database store (DATABASE_URL) through
 * promises, so callers await every call.
 */
export interface CheckpointStore {
  get(identity: string): Checkpoint | undefined | Promise<Checkpoint | undefined>;
  /** Resolves once the checkpoint is stored. */
  save(checkpoint: Checkpoint): void | Promise<void>;
  /** Forgets every checkpoint of the scope (`--restart`); returns how many there were. */
  clear(): number | Promise<number>;
  close(): void | Promise<void>;
}

/** The SQLite file's store, synchronous. */
export interface FileCheckpointStore extends CheckpointStore {
  get(identity: string): Checkpoint | undefined;
  save(checkpoint: Checkpoint): void;
  clear(): number;
  close(): void;
}

/** A stored row as a Checkpoint (both stores keep the same columns). */
export function checkpointFromRow(row: { identity: string; source: string; encoding: string; lines: number; bytes: number; done: number }): Checkpoint {
  return {
    identity: row.identity,
    source: row.source,
    encoding: row.encoding === 'gzip' ? 'gzip' : 'plain',
    lines: row.lines,
    bytes: row.bytes,
    done: row.done === 1,
  };
}

/**
 * The checkpoint file's table; the same columns as the control-plane migration that keeps
 * checkpoints in PostgreSQL. IF NOT EXISTS: files from releases without a migration table have it.
 */
const checkpointFileMigrations = (connection: Database.Database): MigrationSet => ({
  name: 'checkpoint',
  table: 'checkpoint',
  migrations: {
    '0001_replay_checkpoints': {
      up: async () => {
        connection.exec(`CREATE TABLE IF NOT EXISTS replay_checkpoints (
          scope TEXT NOT NULL,
          identity TEXT NOT NULL,
          source TEXT NOT NULL,
          encoding TEXT NOT NULL,
          lines INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          done INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (scope, identity)
        )`);
      },
    },
  },
});

/**
 * A SQLite file (WAL, so a save is one small append): one row per (scope, source identity).
 * Saved only after the destination accepted the batch holding the lines. A changed file or object
 * (new size, mtime or ETag) has a new identity and is replayed from its start.
 */
export async function openCheckpointStore(path: string, scope: string): Promise<FileCheckpointStore> {
  mkdirSync(dirname(path), { recursive: true });
  const db = await openMigratedSqlite(path, { synchronous: 'normal', busyTimeoutMs: 5000 }, checkpointFileMigrations);
  const select = db.prepare<[string, string], { identity: string; source: string; encoding: string; lines: number; bytes: number; done: number }>(
    'SELECT identity, source, encoding, lines, bytes, done FROM replay_checkpoints WHERE scope = ? AND identity = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO replay_checkpoints (scope, identity, source, encoding, lines, bytes, done, updated_at)
     VALUES (@scope, @identity, @source, @encoding, @lines, @bytes, @done, @updatedAt)
     ON CONFLICT (scope, identity) DO UPDATE SET source = excluded.source, encoding = excluded.encoding,
       lines = excluded.lines, bytes = excluded.bytes, done = excluded.done, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM replay_checkpoints WHERE scope = ?');
  let closed = false;

  return {
    get(identity) {
      const row = select.get(scope, identity);
      return row === undefined ? undefined : checkpointFromRow(row);
    },
    save(checkpoint) {
      upsert.run({ scope, ...checkpoint, done: checkpoint.done ? 1 : 0, updatedAt: new Date().toISOString() });
    },
    clear() {
      return remove.run(scope).changes;
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
