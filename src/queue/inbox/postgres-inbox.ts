import { randomUUID } from 'node:crypto';
import { openMigratedPostgresPool } from '../../storage/postgres-migrations.js';
import { inTransaction } from '../postgres/transaction.js';
import { postgresInboxMigrations } from './postgres-schema.js';
import { DEFAULT_INBOX_MAX_DEPTH, InboxClosedError, type AppendOutcome, type EventInbox, type InboxCompletion, type InboxStats } from './port.js';
import { toInboxEntry, toReadPosition, type InboxRow, type ReadPositionRow } from './rows.js';

export interface PostgresInboxOptions {
  connectionString: string;
  /** Entries (of all instances together) beyond which `append` overflows. Default 200,000. */
  maxDepth?: number;
  /**
   * How long a pipeline holds the events it took, ms. An instance that dies mid-batch leaves its
   * events leased; another instance takes them once this has passed. Default 60,000.
   */
  leaseMs?: number;
  /** How often the `stats()` snapshot is read again, ms. Default 1000. */
  statsIntervalMs?: number;
  /** Connections at most. Default 4. */
  poolSize?: number;
  onPoolError?: (error: Error) => void;
  now?: () => number;
}

interface StatsRow {
  depth: number | null;
  deferred: number;
  next: number | null;
  oldest: number | null;
}

const SQL = {
  depth: 'SELECT depth FROM inbox_depth WHERE id = 1',
  insert: `INSERT INTO inbox (body, source_id, received_at)
    SELECT body, source_id, $3::bigint FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(body, source_id, n) ORDER BY n
    ON CONFLICT (source_id) DO NOTHING`,
  // Skips what other instances hold (SKIP LOCKED), so concurrent pipelines take disjoint events.
  lease: `UPDATE inbox SET lease_until = $2, lease_token = $3
    WHERE seq IN (
      SELECT seq FROM inbox WHERE lease_until <= $1 AND next_attempt_at <= $1
      ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)
    RETURNING seq, body, attempts, received_at`,
  remove: 'DELETE FROM inbox WHERE seq = ANY($1::bigint[])',
  defer: `UPDATE inbox AS i SET attempts = i.attempts + 1, next_attempt_at = d.at, last_error = d.error, lease_until = 0, lease_token = NULL
    FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS d(seq, at, error) WHERE i.seq = d.seq`,
  release: 'UPDATE inbox SET lease_until = 0, lease_token = NULL WHERE seq = ANY($1::bigint[]) AND lease_token = $2',
  stats: `SELECT (SELECT depth FROM inbox_depth WHERE id = 1) AS depth,
    (SELECT count(*) FROM inbox WHERE next_attempt_at > 0) AS deferred,
    (SELECT min(next_attempt_at) FROM inbox WHERE next_attempt_at > 0) AS next,
    (SELECT received_at FROM inbox ORDER BY seq LIMIT 1) AS oldest`,
  savePosition: `INSERT INTO follow_positions (path, dev, ino, byte_offset, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, byte_offset = excluded.byte_offset, updated_at = excluded.updated_at`,
  positions: 'SELECT path, dev, ino, byte_offset FROM follow_positions ORDER BY path',
};

const EMPTY_STATS: InboxStats = { depth: 0, deferred: 0, oldestReceivedAt: null, nextDueAt: null };

/**
 * The inbox in PostgreSQL (DATABASE_URL), shared by every instance: what one instance accepted,
 * any instance's pipeline may process. `take` leases the events under this opener's token; a
 * batch that fails gives its events back (`rewind`), a batch whose instance died keeps them
 * until the lease ends. Processing is at least once, as on SQLite: statement ids are deterministic.
 */
export async function openPostgresInbox(options: PostgresInboxOptions): Promise<EventInbox> {
  const now = options.now ?? Date.now;
  const maxDepth = options.maxDepth ?? DEFAULT_INBOX_MAX_DEPTH;
  const leaseMs = options.leaseMs ?? 60_000;
  const pool = await openMigratedPostgresPool(
    {
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      applicationName: 'edx-event-router inbox',
      ...(options.onPoolError ? { onError: options.onPoolError } : {}),
    },
    postgresInboxMigrations,
  );
  const token = randomUUID();
  // Taken and not yet completed: what `rewind` gives back.
  const held = new Set<number>();
  let snapshot = EMPTY_STATS;
  let closed = false;

  const readStats = async (): Promise<InboxStats> => {
    const { rows } = await pool.query<StatsRow>(SQL.stats);
    const row = rows[0];
    if (row !== undefined) {
      snapshot = { depth: row.depth ?? 0, deferred: row.deferred, oldestReceivedAt: row.oldest, nextDueAt: row.next };
    }
    return snapshot;
  };
  await readStats().catch(() => undefined);
  const statsTimer = setInterval(() => void readStats().catch(() => undefined), options.statsIntervalMs ?? 1000);
  statsTimer.unref();

  const open = (): void => {
    if (closed) throw new InboxClosedError();
  };

  return {
    async append(inputs, position) {
      open();
      if (inputs.length === 0 && position === undefined) return { ok: true, added: 0, duplicates: 0 };
      // The depth check and the insert in one transaction; instances appending at the same moment
      // each see the committed depth, so together they may overshoot by one append each.
      return inTransaction(pool, async (client): Promise<AppendOutcome> => {
        const at = now();
        let added = 0;
        if (inputs.length > 0) {
          const depth = (await client.query<{ depth: number }>(SQL.depth)).rows[0]?.depth ?? 0;
          if (depth + inputs.length > maxDepth) return { ok: false, reason: 'queue_overflow', depth, maxDepth };
          const result = await client.query(SQL.insert, [inputs.map((i) => i.body), inputs.map((i) => i.sourceId ?? null), at]);
          added = result.rowCount ?? 0;
        }
        if (position !== undefined) await client.query(SQL.savePosition, [position.path, position.dev, position.ino, position.offset, at]);
        return { ok: true, added, duplicates: inputs.length - added };
      });
    },
    async readPositions() {
      open();
      const { rows } = await pool.query<ReadPositionRow>(SQL.positions);
      return rows.map(toReadPosition);
    },
    async take(limit) {
      open();
      if (limit <= 0) return [];
      const at = now();
      const { rows } = await pool.query<InboxRow>(SQL.lease, [at, at + leaseMs, token, limit]);
      rows.sort((a, b) => a.seq - b.seq);
      for (const row of rows) held.add(row.seq);
      return rows.map(toInboxEntry);
    },
    async complete(completion: InboxCompletion) {
      open();
      const { done, deferred } = completion;
      if (done.length + deferred.length === 0) return;
      await inTransaction(pool, async (client) => {
        if (done.length > 0) await client.query(SQL.remove, [done]);
        if (deferred.length > 0) {
          await client.query(SQL.defer, [deferred.map((d) => d.seq), deferred.map((d) => d.at), deferred.map((d) => d.error)]);
        }
      });
      for (const seq of done) held.delete(seq);
      for (const d of deferred) held.delete(d.seq);
    },
    async rewind() {
      if (held.size === 0 || closed) return;
      const seqs = [...held];
      held.clear();
      await pool.query(SQL.release, [seqs, token]);
    },
    stats: () => snapshot,
    refreshStats() {
      open();
      return readStats();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(statsTimer);
      // Events taken and not completed go back at once instead of after the lease.
      if (held.size > 0) await pool.query(SQL.release, [[...held], token]).catch(() => undefined);
      await pool.end();
    },
  };
}
