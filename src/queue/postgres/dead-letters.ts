import type pg from 'pg';
import { checkDepthLimits, countByRouter } from '../limits.js';
import type { DeadLetterSelector, DeadLetterStore, QueueLimits, RequeueOutcome } from '../port.js';
import { readDepths } from './depths.js';
import { toDeadLetter, toSeq, type PgDeadLetterRow } from './rows.js';
import { deadSelection, PURGE, REQUEUE, SQL } from './statements.js';
import { inTransaction } from './transaction.js';

export interface DeadLetterContext {
  readonly pool: pg.Pool;
  readonly limits: QueueLimits;
  readonly now: () => number;
  /** Throws once the queue is closed. */
  readonly open: () => void;
  /** Routers that got items back, for the enqueue listeners. */
  readonly requeued: (routerIds: readonly string[]) => void;
}

/** The selector as statement parameters: router, ids (only those that can name a row), before. */
function selectorParams(selector: DeadLetterSelector = {}): [string | null, string[] | null, number | null] {
  const ids = selector.ids?.map(toSeq).filter((id): id is string => id !== undefined) ?? null;
  return [selector.routerId ?? null, ids, selector.before ?? null];
}

export function createPgDeadLetterStore(ctx: DeadLetterContext): DeadLetterStore {
  const { pool } = ctx;
  return {
    async list(options = {}) {
      ctx.open();
      const after = options.afterId === undefined ? '0' : (toSeq(options.afterId) ?? '0');
      const { rows } = await pool.query<PgDeadLetterRow>({
        ...SQL.deadList,
        values: [options.routerId ?? null, after, options.limit ?? 100],
      });
      return rows.map(toDeadLetter);
    },

    async retry(selector) {
      ctx.open();
      const result = await inTransaction(pool, async (client): Promise<{ outcome: RequeueOutcome; routerIds: string[] }> => {
        const { rows: chosen } = await client.query<{ id: string; router_id: string }>(deadSelection(true), selectorParams(selector));
        const adds = countByRouter(chosen.map((row) => ({ routerId: row.router_id })));
        const depths = await readDepths(client);
        const overflow = checkDepthLimits(ctx.limits, depths.total, depths.of, adds);
        if (overflow) return { outcome: overflow, routerIds: [] };
        if (chosen.length > 0) {
          const ids = chosen.map((row) => row.id);
          await client.query(REQUEUE, [ctx.now(), ids]);
          await client.query('DELETE FROM dead_letters WHERE id = ANY($1::bigint[])', [ids]);
        }
        return { outcome: { ok: true, moved: chosen.length }, routerIds: [...adds.keys()] };
      });
      if (result.routerIds.length > 0) ctx.requeued(result.routerIds);
      return result.outcome;
    },

    async purge(selector) {
      ctx.open();
      const result = await pool.query(PURGE, selectorParams(selector));
      return result.rowCount ?? 0;
    },
  };
}
