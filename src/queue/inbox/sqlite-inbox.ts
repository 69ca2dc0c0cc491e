import { openMigratedSqlite } from '../../storage/sqlite-migrations.js';
import { createGroupCommit } from '../group-commit.js';
import { createUnsyncedCommit } from '../unsynced-commit.js';
import {
  DEFAULT_INBOX_MAX_DEPTH,
  InboxClosedError,
  type AppendOutcome,
  type EventInbox,
  type InboxCompletion,
  type InboxInput,
  type ReadPosition,
} from './port.js';
import { toInboxEntry, toReadPosition, type InboxRow, type ReadPositionRow } from './rows.js';
import { sqliteInboxMigrations } from './sqlite-schema.js';

export interface SqliteInboxOptions {
  /** Database file (created if missing) or ':memory:'. */
  path: string;
  /** Entries beyond which `append` overflows. Default 200,000. */
  maxDepth?: number;
  /** `full` (default) fsyncs every append; `normal` survives kill -9 but not a power cut. Completions are never synced on their own. */
  synchronous?: 'full' | 'normal';
  busyTimeoutMs?: number;
  now?: () => number;
}

interface AppendCall {
  inputs: readonly InboxInput[];
  position: ReadPosition | undefined;
}

/**
 * The inbox in a SQLite file of the data directory, one per instance. Each thread opens its own
 * connection: ingest appends on one, the pipeline takes and completes on another. better-sqlite3
 * answers at once, so `take`, `complete` and `rewind` do their work before they return and hand
 * back a settled promise: the port stays Promise-only without a round trip to a pool.
 * `append` goes through a group commit: the appends of one event-loop turn share a transaction
 * and an fsync.
 */
export async function openSqliteInbox(options: SqliteInboxOptions): Promise<EventInbox> {
  const now = options.now ?? Date.now;
  const maxDepth = options.maxDepth ?? DEFAULT_INBOX_MAX_DEPTH;
  const db = await openMigratedSqlite(options.path, options, sqliteInboxMigrations);
  const st = {
    depth: db.prepare<[], { depth: number }>('SELECT depth FROM inbox_depth WHERE id = 1'),
    insert: db.prepare<[string, string | null, number]>('INSERT OR IGNORE INTO inbox (body, source_id, received_at) VALUES (?, ?, ?)'),
    fresh: db.prepare<[number, number], InboxRow>(
      'SELECT seq, body, attempts, received_at FROM inbox WHERE seq > ? AND next_attempt_at = 0 ORDER BY seq LIMIT ?',
    ),
    due: db.prepare<[number, number], InboxRow>(
      'SELECT seq, body, attempts, received_at FROM inbox WHERE next_attempt_at > 0 AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?',
    ),
    remove: db.prepare<[number]>('DELETE FROM inbox WHERE seq = ?'),
    defer: db.prepare<[number, string, number]>('UPDATE inbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?'),
    deferredStats: db.prepare<[], { n: number; next: number | null }>(
      'SELECT count(*) AS n, min(next_attempt_at) AS next FROM inbox WHERE next_attempt_at > 0',
    ),
    oldest: db.prepare<[], { received_at: number }>('SELECT received_at FROM inbox ORDER BY seq LIMIT 1'),
    savePosition: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO follow_positions (path, dev, ino, byte_offset, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, byte_offset = excluded.byte_offset, updated_at = excluded.updated_at`,
    ),
    positions: db.prepare<[], ReadPositionRow>('SELECT path, dev, ino, byte_offset FROM follow_positions ORDER BY path'),
  };
  // Fresh entries after this one have not been taken by this connection. Due deferred entries
  // are found by time instead: a deferral moves them out of the fresh range for good.
  let cursor = 0;
  let closed = false;

  const open = (): void => {
    if (closed) throw new InboxClosedError();
  };

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

  const stats = () => {
    open();
    const deferred = st.deferredStats.get();
    return {
      depth: st.depth.get()?.depth ?? 0,
      deferred: deferred?.n ?? 0,
      oldestReceivedAt: st.oldest.get()?.received_at ?? null,
      nextDueAt: deferred?.next ?? null,
    };
  };

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
    async take(limit) {
      open();
      if (limit <= 0) return [];
      const due = st.due.all(now(), limit);
      const fresh = due.length < limit ? st.fresh.all(cursor, limit - due.length) : [];
      const last = fresh.at(-1);
      if (last !== undefined) cursor = last.seq;
      const rows = due.length === 0 ? fresh : [...due, ...fresh].sort((a, b) => a.seq - b.seq);
      return rows.map(toInboxEntry);
    },
    async complete(completion) {
      open();
      // Lost on a power cut, a completion only runs its events through the pipeline again: the
      // outbox commit before it was synced, and the statements keep their ids (at least once).
      if (completion.done.length + completion.deferred.length > 0) unsynced(() => completeTx.immediate(completion));
    },
    async rewind() {
      cursor = 0;
    },
    stats,
    async refreshStats() {
      return stats();
    },
    async close() {
      if (closed) return;
      grouped.flush();
      closed = true;
      db.close();
    },
  };
}
