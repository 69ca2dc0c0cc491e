import Database from 'better-sqlite3';
import { createGroupCommit } from '../queue/group-commit.js';
import { createUnsyncedCommit } from '../queue/unsynced-commit.js';
import { toReadPosition, type ReadPosition, type ReadPositionRow } from '../sources/follower/read-position.js';
import { preparePrivateSqliteFile } from '../storage/private-files.js';
import { migrateInbox } from './inbox-schema.js';
import { useWriteAheadLog } from '../storage/sqlite-wal.js';

/** One accepted event: its JSON text (parsed again by the pipeline) and, from a bus, where it came from. */
export interface InboxInput {
  body: string;
  /** `BusEvent.sourceId`: an event already waiting under the same id is not added again. */
  sourceId?: string;
}

export interface InboxEntry {
  seq: number;
  body: string;
  /** Times the pipeline deferred it. */
  attempts: number;
  /** Epoch ms of acceptance. */
  receivedAt: number;
}

export type AppendOutcome =
  | { ok: true; added: number; duplicates: number }
  | { ok: false; reason: 'queue_overflow'; depth: number; maxDepth: number };

/** What the pipeline did with the entries it took: delete them, or try them again at `at`. */
export interface InboxCompletion {
  done: readonly number[];
  deferred: ReadonlyArray<{ seq: number; at: number; error: string }>;
}

export interface InboxStats {
  depth: number;
  /** Entries waiting after a deferral (identity unavailable). */
  deferred: number;
  /** Epoch ms of the oldest entry, or null. */
  oldestReceivedAt: number | null;
  /** Epoch ms at which the next deferred entry is due, or null. */
  nextDueAt: number | null;
  busDeadLetters: number;
}

/** A bus message that can never become an event (poison), kept with its raw bytes. */
export interface BusDeadLetterInput {
  sourceId: string;
  reason: string;
  message: string;
  fields: Record<string, string>;
  bytes: Buffer;
}

/**
 * The durable inbox between ingest and the pipeline. `append` resolves only once the events are
 * committed (group commit: the appends of one event-loop turn share a transaction and an fsync).
 * One connection per thread: ingest appends on its own, the pipeline takes and completes on its own.
 * The SQLite inbox answers `take`, `complete` and `rewind` at once; the PostgreSQL one
 * (postgres-inbox.ts) through promises, so callers await them.
 */
export interface EventInbox {
  /**
   * All or nothing; beyond `maxDepth` nothing is added. With `position` (the file follower), the
   * read position is stored in the same transaction, and only when the events are.
   */
  append(inputs: readonly InboxInput[], position?: ReadPosition): Promise<AppendOutcome>;
  /** The file follower's committed read positions (src/sources/follower/). */
  readPositions(): Promise<ReadPosition[]>;
  /**
   * Up to `limit` entries in acceptance order: first deferred entries that are due, then fresh
   * ones after the last entry this connection took (so entries in processing are not taken twice).
   */
  take(limit: number): InboxEntry[] | Promise<InboxEntry[]>;
  /** Deletes the done entries and reschedules the deferred ones, in one transaction. */
  complete(completion: InboxCompletion): void | Promise<void>;
  /** Forget the take position: the next `take` starts from the oldest entry again (after a failed batch). */
  rewind(): void | Promise<void>;
  /** Must answer at once: the PostgreSQL inbox gives a snapshot at most a second old. */
  stats(): InboxStats;
  addBusDeadLetter(entry: BusDeadLetterInput): Promise<void>;
  /** Idempotent. */
  close(): void | Promise<void>;
}

/** The SQLite inbox, synchronous where it can be. */
export interface SqliteEventInbox extends EventInbox {
  take(limit: number): InboxEntry[];
  complete(completion: InboxCompletion): void;
  rewind(): void;
  close(): void;
}

export interface InboxOptions {
  /** Database file (created if missing) or ':memory:'. */
  path: string;
  /** Entries beyond which `append` overflows. Default 200,000. */
  maxDepth?: number;
  /** `full` (default) fsyncs every append; `normal` survives kill -9 but not a power cut. Completions are never synced on their own. */
  synchronous?: 'full' | 'normal';
  busyTimeoutMs?: number;
  now?: () => number;
}

/** An inbox row as both engines return it (BIGINTs as numbers). */
export interface InboxRow {
  seq: number;
  body: string;
  attempts: number;
  received_at: number;
}

export function openSqliteInbox(options: InboxOptions): SqliteEventInbox {
  const now = options.now ?? Date.now;
  const maxDepth = options.maxDepth ?? 200_000;
  preparePrivateSqliteFile(options.path);
  const db = new Database(options.path);
  try {
    useWriteAheadLog(db);
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    migrateInbox(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const st = {
    depth: db.prepare<[], { depth: number }>('SELECT depth FROM inbox_depth WHERE id = 1'),
    insert: db.prepare<[string, string | null, number]>(
      'INSERT OR IGNORE INTO inbox (body, source_id, received_at) VALUES (?, ?, ?)',
    ),
    fresh: db.prepare<[number, number], InboxRow>(
      'SELECT seq, body, attempts, received_at FROM inbox WHERE seq > ? AND next_attempt_at = 0 ORDER BY seq LIMIT ?',
    ),
    due: db.prepare<[number, number], InboxRow>(
      'SELECT seq, body, attempts, received_at FROM inbox WHERE next_attempt_at > 0 AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?',
    ),
    remove: db.prepare<[number]>('DELETE FROM inbox WHERE seq = ?'),
    defer: db.prepare<[number, string, number]>(
      'UPDATE inbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?',
    ),
    deferredStats: db.prepare<[], { n: number; next: number | null }>(
      'SELECT count(*) AS n, min(next_attempt_at) AS next FROM inbox WHERE next_attempt_at > 0',
    ),
    oldest: db.prepare<[], { received_at: number }>('SELECT received_at FROM inbox ORDER BY seq LIMIT 1'),
    deadCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bus_dead_letters'),
    deadInsert: db.prepare<[string, string, string, string, Buffer, number]>(
      'INSERT INTO bus_dead_letters (source_id, reason, message, fields, bytes, dead_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    savePosition: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO follow_positions (path, dev, ino, byte_offset, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, byte_offset = excluded.byte_offset, updated_at = excluded.updated_at`,
    ),
    positions: db.prepare<[], ReadPositionRow>('SELECT path, dev, ino, byte_offset FROM follow_positions ORDER BY path'),
  };
  let cursor = 0;
  let closed = false;

  const open = (): void => {
    if (closed) throw new Error('inbox is closed');
  };

  interface AppendCall {
    inputs: readonly InboxInput[];
    position: ReadPosition | undefined;
  }
  function appendOne({ inputs, position }: AppendCall): AppendOutcome {
    const depth = st.depth.get()?.depth ?? 0;
    if (inputs.length > 0 && depth + inputs.length > maxDepth) return { ok: false, reason: 'queue_overflow', depth, maxDepth };
    const at = now();
    let added = 0;
    for (const input of inputs) added += st.insert.run(input.body, input.sourceId ?? null, at).changes;
    if (position !== undefined) st.savePosition.run(position.path, position.dev, position.ino, position.offset, at);
    return { ok: true, added, duplicates: inputs.length - added };
  }
  // IMMEDIATE: the depth check and the inserts see one state. Each call is all or nothing.
  const appendTx = db.transaction((calls: readonly AppendCall[]) => calls.map(appendOne));
  const grouped = createGroupCommit((calls: readonly AppendCall[]) => appendTx.immediate(calls));

  const unsynced = createUnsyncedCommit(db, options.synchronous);
  const completeTx = db.transaction((completion: InboxCompletion) => {
    for (const seq of completion.done) st.remove.run(seq);
    for (const d of completion.deferred) st.defer.run(d.at, d.error, d.seq);
  });

  const toEntry = (row: InboxRow): InboxEntry => ({ seq: row.seq, body: row.body, attempts: row.attempts, receivedAt: row.received_at });

  return {
    async append(inputs, position) {
      open();
      if (inputs.length === 0 && position === undefined) return { ok: true, added: 0, duplicates: 0 };
      return grouped.submit({ inputs, position });
    },
    async readPositions() {
      open();
      return st.positions.all().map(toReadPosition);
    },
    take(limit) {
      open();
      if (limit <= 0) return [];
      const due = st.due.all(now(), limit);
      const fresh = due.length < limit ? st.fresh.all(cursor, limit - due.length) : [];
      const last = fresh.at(-1);
      if (last !== undefined) cursor = last.seq;
      const rows = due.length === 0 ? fresh : [...due, ...fresh].sort((a, b) => a.seq - b.seq);
      return rows.map(toEntry);
    },
    complete(completion) {
      open();
      // Lost on a power cut, a completion only runs its events through the pipeline again: the
      // outbox commit before it was synced, and the statements keep their ids (at least once).
      if (completion.done.length + completion.deferred.length > 0) unsynced(() => completeTx.immediate(completion));
    },
    rewind() {
      cursor = 0;
    },
    stats() {
      open();
      const deferred = st.deferredStats.get();
      return {
        depth: st.depth.get()?.depth ?? 0,
        deferred: deferred?.n ?? 0,
        oldestReceivedAt: st.oldest.get()?.received_at ?? null,
        nextDueAt: deferred?.next ?? null,
        busDeadLetters: st.deadCount.get()?.n ?? 0,
      };
    },
    async addBusDeadLetter(entry) {
      open();
      st.deadInsert.run(entry.sourceId, entry.reason, entry.message, JSON.stringify(entry.fields), entry.bytes, now());
    },
    close() {
      if (closed) return;
      grouped.flush();
      closed = true;
      db.close();
    },
  };
}
