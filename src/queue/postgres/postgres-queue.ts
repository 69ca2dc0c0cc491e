import type pg from 'pg';
import { createPostgresPool } from '../../storage/postgres-pool.js';
import { checkDepthLimits, countByRouter } from '../limits.js';
import { createListenerSet } from '../listeners.js';
import type { DeliveryQueue, EnqueueOutcome, NewQueueItem, PendingSummary, QueueLimits, QueueStats, RouterQueueStats } from '../port.js';
import { createAsyncGroupCommit } from './async-group-commit.js';
import { createPgDeadLetterStore } from './dead-letters.js';
import { readDepths } from './depths.js';
import { createLeaseTokens } from './lease-tokens.js';
import { toLeasedItem, type PgOutboxRow } from './rows.js';
import { migrateOutbox } from './schema.js';
import { runQueries, settleQueries } from './settle.js';
import { SQL } from './statements.js';
import { inTransaction } from './transaction.js';

export interface PostgresQueueOptions extends QueueLimits {
  /** DATABASE_URL; the queue then owns its pool and ends it on close. */
  connectionString?: string;
  /** Or a pool owned by the caller (not ended on close). One of the two is required. */
  pool?: pg.Pool;
  /** Connections of an owned pool; default 8. */
  poolSize?: number;
  /** Items per enqueue statement at most (calls grouped by group commit); default 5000. */
  maxBatch?: number;
  /** Epoch ms; `Date.now` by default. Instances compare leases by their clocks: keep them in sync (NTP). */
  now?: () => number;
  /** An idle pool connection failed; the next query reconnects. */
  onPoolError?: (error: Error) => void;
}

interface EnqueueCall {
  items: readonly NewQueueItem[];
  /** The items as JSON array elements (statements.ts `insert`), without the enclosing brackets. */
  rows: string;
}

/**
 * The PostgreSQL outbox: several `serve` instances on one database share the work. A lease is
 * one `UPDATE … WHERE seq IN (SELECT … FOR UPDATE SKIP LOCKED)`, so concurrent instances take
 * disjoint items; a dead instance's leases simply expire (there is no recovery on open, which
 * would take live instances' leases away). Every lease carries a token, so a settle arriving
 * after its lease expired cannot undo another instance's newer lease.
 *
 * The depth limits are exact within one instance; instances enqueueing at the same moment may
 * overshoot them by one batch each, as each checks the committed depth before it inserts.
 */
export async function createPostgresQueue(options: PostgresQueueOptions): Promise<DeliveryQueue> {
  const now = options.now ?? Date.now;
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    createPostgresPool({
      connectionString: required(options.connectionString),
      max: options.poolSize ?? 8,
      applicationName: 'edx-event-router outbox',
      ...(options.onPoolError ? { onError: options.onPoolError } : {}),
    });
  try {
    await migrateOutbox(pool);
  } catch (error) {
    if (ownsPool) await pool.end();
    throw error;
  }
  const limits: QueueLimits = {
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.maxDepthPerRouter !== undefined ? { maxDepthPerRouter: options.maxDepthPerRouter } : {}),
  };
  const listeners = createListenerSet<readonly string[]>();
  const tokens = createLeaseTokens(now);
  const tx = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, work);
  let closed = false;

  function open(): void {
    if (closed) throw new Error('delivery queue is closed');
  }

  /** One batch of enqueue calls: each checked against the limits in turn, the accepted ones in one INSERT. */
  async function enqueueBatch(calls: readonly EnqueueCall[]): Promise<EnqueueOutcome[]> {
    const depths = await readDepths(pool);
    let total = depths.total;
    const added = new Map<string, number>();
    const routerDepth = (routerId: string): number => depths.of(routerId) + (added.get(routerId) ?? 0);
    const outcomes: (EnqueueOutcome | undefined)[] = [];
    const accepted: EnqueueCall[] = [];
    for (const call of calls) {
      const adds = countByRouter(call.items);
      const overflow = checkDepthLimits(limits, total, routerDepth, adds);
      if (overflow) {
        outcomes.push(overflow);
        continue;
      }
      outcomes.push(undefined);
      accepted.push(call);
      total += call.items.length;
      for (const [routerId, n] of adds) added.set(routerId, (added.get(routerId) ?? 0) + n);
    }
    const seqs = accepted.length === 0 ? [] : await insert(accepted);
    let next = 0;
    return calls.map((call, i) => {
      const overflow = outcomes[i];
      if (overflow) return overflow;
      const ids = seqs.slice(next, next + call.items.length);
      next += call.items.length;
      return { ok: true, ids };
    });
  }

  /** One statement for every item; the seqs come back ascending, which is item order. */
  async function insert(calls: readonly EnqueueCall[]): Promise<string[]> {
    const { rows } = await pool.query<{ seq: string | number }>({
      ...SQL.insert,
      values: [now(), `[${calls.map((call) => call.rows).join(',')}]`],
    });
    // RETURNING has no defined order; identity values are handed out in insertion order.
    return rows
      .map((row) => BigInt(row.seq))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
  }

  const enqueueGrouped = createAsyncGroupCommit(enqueueBatch, options.maxBatch ?? 5000);

  const queue: DeliveryQueue = {
    async enqueue(items) {
      open();
      const rows = serialise(items);
      if (items.length === 0) return { ok: true, ids: [] };
      const outcome = await enqueueGrouped.submit({ items, rows }, items.length);
      if (outcome.ok) listeners.emit([...countByRouter(items).keys()]);
      return outcome;
    },

    async lease(routerId, limit, leaseMs) {
      open();
      if (limit <= 0) return [];
      const at = now();
      const token = tokens.next();
      const { rows } = await pool.query<PgOutboxRow>({ ...SQL.lease, values: [routerId, at, limit, at + leaseMs, token] });
      // RETURNING gives no order guarantee; the queue order is seq.
      const items = rows.map(toLeasedItem).sort((a, b) => Number(a.id) - Number(b.id));
      tokens.remember(
        items.map((item) => item.id),
        token,
        at + leaseMs,
      );
      return items;
    },

    async pending(routerId, limit): Promise<PendingSummary> {
      open();
      const { rows } = await pool.query<{ ready: number; oldest: string | null; retrying: boolean }>({
        ...SQL.pending,
        values: [routerId, now(), limit],
      });
      const row = rows[0];
      return {
        ready: row?.ready ?? 0,
        oldestReadyAt: row?.oldest == null ? null : Number(row.oldest),
        retrying: row?.retrying ?? false,
      };
    },

    async settle(settlements) {
      open();
      if (settlements.length === 0) return;
      await runQueries(pool, settleQueries(settlements, tokens, now()), tx);
      tokens.forget(settlements.map((s) => s.id));
    },
    ack: (ids) => queue.settle(ids.map((id) => ({ id, kind: 'ack' as const }))),
    retry: (id, at, error) => queue.settle([{ id, kind: 'retry', at, error }]),
    deadLetter: (id, reason, response) => queue.settle([response ? { id, kind: 'dead', reason, response } : { id, kind: 'dead', reason }]),
    release: (ids, at) => queue.settle(ids.map((id) => (at === undefined ? { id, kind: 'release' as const } : { id, kind: 'release' as const, at }))),

    async retryNow(routerId) {
      open();
      const { rowCount } = await pool.query({ ...SQL.retryNow, values: [routerId, now()] });
      return rowCount ?? 0;
    },

    async stats(): Promise<QueueStats> {
      open();
      const at = now();
      const [outbox, dead] = await Promise.all([
        pool.query<{ router_id: string; depth: number; leased: number; retrying: number; oldest: string; waiting: number; next_attempt: string | null }>({
          ...SQL.stats,
          values: [at],
        }),
        pool.query<{ router_id: string; n: number }>(SQL.deadStats),
      ]);
      const routers = new Map<string, RouterQueueStats>();
      for (const row of outbox.rows) {
        const oldest = Number(row.oldest);
        routers.set(row.router_id, {
          routerId: row.router_id,
          depth: row.depth,
          leased: row.leased,
          retrying: row.retrying,
          oldestEnqueuedAt: oldest,
          oldestAgeMs: at - oldest,
          waiting: row.waiting,
          nextAttemptAt: row.next_attempt === null ? null : Number(row.next_attempt),
          deadLetters: 0,
        });
      }
      let deadLetters = 0;
      for (const row of dead.rows) {
        deadLetters += row.n;
        const entry = routers.get(row.router_id) ?? {
          routerId: row.router_id,
          depth: 0,
          leased: 0,
          retrying: 0,
          oldestEnqueuedAt: null,
          oldestAgeMs: null,
          waiting: 0,
          nextAttemptAt: null,
          deadLetters: 0,
        };
        entry.deadLetters = row.n;
        routers.set(row.router_id, entry);
      }
      const list = [...routers.values()].sort((a, b) => a.routerId.localeCompare(b.routerId));
      return { depth: list.reduce((sum, r) => sum + r.depth, 0), deadLetters, routers: list };
    },

    async discardRouter(routerId) {
      open();
      return inTransaction(pool, async (client) => {
        const queued = await client.query('DELETE FROM outbox WHERE router_id = $1', [routerId]);
        const dead = await client.query('DELETE FROM dead_letters WHERE router_id = $1', [routerId]);
        return { queued: queued.rowCount ?? 0, deadLetters: dead.rowCount ?? 0 };
      });
    },

    onEnqueue: (listener) => listeners.add(listener),

    deadLetters: createPgDeadLetterStore({ pool, limits, now, open, requeued: (ids) => listeners.emit(ids) }),

    async close() {
      if (closed) return;
      closed = true;
      // What was submitted before close is written (as the SQLite adapter does).
      await enqueueGrouped.drain();
      if (ownsPool) await pool.end();
    },
  };
  return queue;
}

/** The items as the elements of the insert's JSON array, each payload spliced in as its text. */
function serialise(items: readonly NewQueueItem[]): string {
  let rows = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as NewQueueItem;
    const head = JSON.stringify([item.routerId, item.eventId, item.eventName ?? null, item.businessCritical ? 1 : 0]);
    rows += `${i === 0 ? '' : ','}${head.slice(0, -1)},${item.payload.text}]`;
  }
  return rows;
}

function required(connectionString: string | undefined): string {
  if (connectionString === undefined) throw new Error('createPostgresQueue needs a connectionString or a pool');
  return connectionString;
}
