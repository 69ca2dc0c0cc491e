import Database from 'better-sqlite3';
import { preparePrivateSqliteFile } from '../../storage/private-files.js';
import { migrateSqliteConnection } from '../../storage/sqlite-migrations.js';
import { createGroupCommit } from '../group-commit.js';
import { createUnsyncedCommit } from '../unsynced-commit.js';
import { checkDepthLimits, countByRouter } from '../limits.js';
import { createListenerSet } from '../listeners.js';
import type {
  DeadLetterSelector,
  DeliveryQueue,
  DiscardedItems,
  EnqueueOutcome,
  NewQueueItem,
  PendingSummary,
  QueueLimits,
  QueueStats,
  RequeueOutcome,
  RouterQueueStats,
  Settlement,
} from '../port.js';
import { DeferredSettles } from './deferred-settles.js';
import { MemoryLeases } from './memory-leases.js';
import { type DeadLetterRow, type LeaseRow, SqliteLeasedItem, toDeadLetter } from './rows.js';
import { sqliteOutboxMigrations } from './schema.js';
import { prepareStatements } from './statements.js';
import { useWriteAheadLog } from '../../storage/sqlite-wal.js';

export interface SqliteQueueOptions extends QueueLimits {
  /** Path of the database file (created if missing); ':memory:' for a throwaway queue. */
  path: string;
  /**
   * `full` (default) fsyncs every enqueue, so an acknowledged enqueue survives a power cut.
   * `normal` (WAL) survives a process crash (kill -9) but may lose the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
  /**
   * This process is the only user of the file (the SQLite deployment; default true): leases left
   * in the file by a killed process are returned when opening, so they are delivered at once, and
   * this process keeps its own leases in memory (a lease then writes nothing to the file).
   * `false` (a CLI next to a running service) leaves the file's leases alone and writes its own
   * leases into the file, where other processes see them.
   */
  recoverLeasesOnOpen?: boolean;
  /** How long a writer waits for another connection's lock, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

interface EnqueueCall {
  items: readonly NewQueueItem[];
  payloads: string[];
}

/**
 * The durable local outbox. better-sqlite3 is synchronous: every method does its work in one
 * transaction with prepared statements before its promise resolves, so a resolved enqueue is
 * on disk (WAL) and an acknowledged delivery is gone from it. Enqueues of one event-loop turn
 * share a transaction (group-commit.ts).
 *
 * What each fsync buys: an enqueue must survive a power cut (the pipeline deletes the events
 * from the inbox after it), so it commits with the configured `synchronous`. A settle that a
 * power cut undoes only sends its items again (at least once, same ids), so it commits without
 * an fsync of its own; the next enqueue's fsync makes it durable too (the WAL is one sequential
 * file). Leases of the owning process live in memory and write nothing.
 */
export async function createSqliteQueue(options: SqliteQueueOptions): Promise<DeliveryQueue> {
  const now = options.now ?? Date.now;
  preparePrivateSqliteFile(options.path);
  const db = new Database(options.path);
  try {
    useWriteAheadLog(db);
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    await migrateSqliteConnection(db, sqliteOutboxMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  const st = prepareStatements(db);
  const ownsFile = options.recoverLeasesOnOpen ?? true;
  if (ownsFile) st.releaseAll.run();
  // The owner's leases live in memory; a process sharing the file keeps its leases in the file,
  // where the others see them.
  const leases = new MemoryLeases();
  const unsynced = createUnsyncedCommit(db, options.synchronous);
  const listeners = createListenerSet<readonly string[]>();
  let closed = false;

  const totalDepth = (): number => st.totalDepth.get()?.depth ?? 0;
  const routerDepth = (routerId: string): number => st.routerDepth.get(routerId)?.depth ?? 0;

  function open(): void {
    if (closed) throw new Error('delivery queue is closed');
  }

  // IMMEDIATE takes the write lock first, so the depth check and the inserts see one state.
  // Each call is all or nothing on its own; the triggers keep the depth right between calls.
  const enqueueTx = db.transaction((calls: readonly EnqueueCall[]): EnqueueOutcome[] => calls.map(enqueueOne));
  const enqueueGrouped = createGroupCommit((calls: readonly EnqueueCall[]) => enqueueTx.immediate(calls));

  function enqueueOne({ items, payloads }: EnqueueCall): EnqueueOutcome {
    const overflow = checkDepthLimits(options, totalDepth(), routerDepth, countByRouter(items));
    if (overflow) return overflow;
    const at = now();
    const ids = items.map((item, i) =>
      String(st.insert.run(item.routerId, item.eventId, item.eventName ?? null, item.businessCritical ? 1 : 0, payloads[i] as string, at, at).lastInsertRowid),
    );
    return { ok: true, ids };
  }

  const leaseTx = db.transaction((routerId: string, limit: number, leaseMs: number) => {
    const at = now();
    const leaseUntil = at + leaseMs;
    const rows: LeaseRow[] = st.leaseCandidates.all({ routerId, now: at, limit, held: leases.heldJson(routerId, at) });
    const items: SqliteLeasedItem[] = [];
    for (const row of rows) {
      if (ownsFile) leases.add(routerId, row.seq, leaseUntil);
      else st.leaseInFile.run({ seq: row.seq, leaseUntil });
      items.push(new SqliteLeasedItem(row, leaseUntil));
    }
    return items;
  });

  const settleTx = db.transaction((settlements: readonly Settlement[]) => {
    const at = now();
    for (const s of settlements) {
      const seq = Number(s.id);
      switch (s.kind) {
        case 'ack':
          st.ack.run(seq);
          break;
        case 'retry':
          st.retry.run({ seq, at: s.at, error: s.error, now: at });
          break;
        case 'release':
          // A lease held in memory is dropped after the commit; the row changes only for a later time.
          if (!ownsFile || s.at !== undefined) st.release.run({ seq, at: s.at ?? 0 });
          break;
        case 'dead':
          st.toDead.run({ seq, reason: s.reason, response: s.response ? JSON.stringify(s.response) : null, now: at });
          st.ack.run(seq);
          break;
      }
    }
  });

  /** After a settle commits: the leases of its items end. */
  function afterSettle(settlements: readonly Settlement[]): void {
    for (const s of settlements) leases.drop(Number(s.id));
  }

  // Lost on a power cut, a settle only sends its items again (at least once, same ids).
  const writeSettle = (settlements: readonly Settlement[]): void => unsynced(() => settleTx.immediate(settlements));
  // Only the owner's leases live in memory, where a settlement can wait for disk space.
  const deferred = ownsFile
    ? new DeferredSettles(
        writeSettle,
        afterSettle,
        (seq) => leases.routerOf(seq),
        (seq) => leases.hold(seq),
      )
    : undefined;

  function selectDead(selector: DeadLetterSelector = {}): { id: number; router_id: string }[] {
    const routerId = selector.routerId ?? null;
    const before = selector.before ?? null;
    if (!selector.ids) return st.deadSelect.all({ routerId, before });
    return selector.ids
      .map((id) => st.deadById.get(Number(id)))
      .filter((row): row is NonNullable<typeof row> => row !== undefined)
      .filter((row) => (routerId === null || row.router_id === routerId) && (before === null || row.dead_at < before));
  }

  const requeueTx = db.transaction((selector: DeadLetterSelector | undefined): { outcome: RequeueOutcome; routerIds: string[] } => {
    const chosen = selectDead(selector);
    const adds = countByRouter(chosen.map((row) => ({ routerId: row.router_id })));
    const overflow = checkDepthLimits(options, totalDepth(), routerDepth, adds);
    if (overflow) return { outcome: overflow, routerIds: [] };
    const at = now();
    for (const row of chosen) {
      st.deadRequeue.run({ id: row.id, now: at });
      st.deadDelete.run(row.id);
    }
    return { outcome: { ok: true, moved: chosen.length }, routerIds: [...adds.keys()] };
  });

  const purgeTx = db.transaction((selector: DeadLetterSelector | undefined): number => {
    const chosen = selectDead(selector);
    for (const row of chosen) st.deadDelete.run(row.id);
    return chosen.length;
  });

  const discardTx = db.transaction((routerId: string): DiscardedItems => ({
    queued: st.discardQueued.run(routerId).changes,
    deadLetters: st.discardDead.run(routerId).changes,
  }));

  const queue: DeliveryQueue = {
    async enqueue(items) {
      open();
      // Settlements waiting for disk space go first: new items would take the room they need.
      if (deferred !== undefined && !deferred.flush()) throw waitingForSpace(deferred.size);
      const payloads = items.map((item) => item.payload.text);
      if (items.length === 0) return { ok: true, ids: [] };
      const outcome = await enqueueGrouped.submit({ items, payloads });
      if (outcome.ok && outcome.ids.length > 0) listeners.emit([...countByRouter(items).keys()]);
      return outcome;
    },
    async lease(routerId, limit, leaseMs) {
      open();
      if (limit <= 0) return [];
      if (deferred !== undefined && !deferred.flush() && deferred.blocks(routerId)) return [];
      // Leases in memory: a read, which takes no lock on the file. In the file: IMMEDIATE, so
      // that two processes never lease the same rows.
      return ownsFile ? leaseTx.deferred(routerId, limit, leaseMs) : leaseTx.immediate(routerId, limit, leaseMs);
    },
    async pending(routerId, limit): Promise<PendingSummary> {
      open();
      const at = now();
      if (deferred?.blocks(routerId) === true) return { ready: 0, oldestReadyAt: null, retrying: false };
      const row = st.pending.get({ routerId, now: at, limit, held: leases.heldJson(routerId, at) });
      return { ready: row?.ready ?? 0, oldestReadyAt: row?.oldest ?? null, retrying: (row?.retrying ?? 0) > 0 };
    },
    async settle(settlements) {
      open();
      if (settlements.length === 0) return;
      if (deferred !== undefined) return deferred.settle(settlements);
      writeSettle(settlements);
      afterSettle(settlements);
    },
    ack: (ids) => queue.settle(ids.map((id) => ({ id, kind: 'ack' as const }))),
    retry: (id, at, error) => queue.settle([{ id, kind: 'retry', at, error }]),
    deadLetter: (id, reason, response) => queue.settle([response ? { id, kind: 'dead', reason, response } : { id, kind: 'dead', reason }]),
    release: (ids, at) => queue.settle(ids.map((id) => (at === undefined ? { id, kind: 'release' as const } : { id, kind: 'release' as const, at }))),

    async retryNow(routerId) {
      open();
      const at = now();
      return unsynced(() => st.retryNow.run({ routerId, now: at, held: leases.heldJson(routerId, at) }).changes);
    },

    async stats(): Promise<QueueStats> {
      open();
      const at = now();
      const routers = new Map<string, RouterQueueStats>();
      const heldHere = leases.active(at);
      for (const row of st.stats.all({ now: at })) {
        routers.set(row.router_id, {
          routerId: row.router_id,
          depth: row.depth,
          leased: row.leased + (heldHere.get(row.router_id) ?? 0),
          retrying: row.retrying,
          oldestEnqueuedAt: row.oldest,
          oldestAgeMs: at - row.oldest,
          waiting: row.waiting,
          nextAttemptAt: row.next_attempt,
          deadLetters: 0,
        });
      }
      let deadLetters = 0;
      for (const row of st.deadStats.all()) {
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
      const discarded = discardTx.immediate(routerId);
      leases.dropRouter(routerId);
      return discarded;
    },

    onEnqueue: (listener) => listeners.add(listener),

    deadLetters: {
      async list(opts = {}) {
        open();
        const rows = st.deadList.all({
          routerId: opts.routerId ?? null,
          after: opts.afterId === undefined ? 0 : Number(opts.afterId),
          limit: opts.limit ?? 100,
        }) as DeadLetterRow[];
        return rows.map(toDeadLetter);
      },
      async retry(selector) {
        open();
        const { outcome, routerIds } = requeueTx.immediate(selector);
        if (routerIds.length > 0) listeners.emit(routerIds);
        return outcome;
      },
      async purge(selector) {
        open();
        return purgeTx.immediate(selector);
      },
    },

    async close() {
      if (closed) return;
      closed = true;
      enqueueGrouped.flush();
      deferred?.stop();
      try {
        deferred?.flush();
      } catch {
        // What could not be written is sent again at the next start (at least once).
      }
      db.close();
    },
  };
  return queue;
}

/** Thrown by enqueue while settlements wait for disk space; isDiskFullError recognises it. */
function waitingForSpace(waiting: number): Error {
  return Object.assign(new Error(`database or disk is full: ${waiting} delivered items wait to be settled`), { code: 'SQLITE_FULL' });
}
