import type pg from 'pg';
import { SQL } from './statements.js';

export interface Depths {
  readonly total: number;
  readonly of: (routerId: string) => number;
}

/** The outbox depth per router as the triggers keep it (schema.ts): one small row per router. */
export async function readDepths(client: pg.Pool | pg.PoolClient): Promise<Depths> {
  const { rows } = await client.query<{ router_id: string; depth: string }>(SQL.depths);
  const byRouter = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    const depth = Number(row.depth);
    byRouter.set(row.router_id, depth);
    total += depth;
  }
  return { total, of: (routerId) => byRouter.get(routerId) ?? 0 };
}
