import type pg from 'pg';
import type { Settlement } from '../port.js';
import type { LeaseTokens } from './lease-tokens.js';
import { toSeq } from './rows.js';
import { SQL } from './statements.js';

export interface Query {
  name: string;
  text: string;
  values: unknown[];
}

/** Items of one kind: their seqs and tokens, plus one array per extra column. */
interface Group {
  seqs: string[];
  tokens: (string | null)[];
  extra: unknown[][];
}

const group = (columns: number): Group => ({ seqs: [], tokens: [], extra: Array.from({ length: columns }, () => []) });

/**
 * A settle call as at most four statements, one per kind, each carrying its items as arrays.
 * Every item travels with this instance's lease token for it (null when it holds none).
 */
export function settleQueries(settlements: readonly Settlement[], tokens: LeaseTokens, now: number): Query[] {
  const acks = group(0);
  const retries = group(2);
  const releases = group(1);
  const dead = group(2);
  const add = (g: Group, seq: string, token: string | null, ...extra: unknown[]): void => {
    g.seqs.push(seq);
    g.tokens.push(token);
    extra.forEach((value, i) => g.extra[i]?.push(value));
  };
  for (const s of settlements) {
    const seq = toSeq(s.id);
    if (seq === undefined) continue;
    const token = tokens.get(s.id);
    switch (s.kind) {
      case 'ack':
        add(acks, seq, token);
        break;
      case 'retry':
        add(retries, seq, token, s.at, s.error);
        break;
      case 'release':
        add(releases, seq, token, s.at ?? 0);
        break;
      case 'dead':
        add(dead, seq, token, s.reason, s.response ? JSON.stringify(s.response) : null);
        break;
    }
  }
  const queries: Query[] = [];
  const push = (statement: { name: string; text: string }, g: Group): void => {
    if (g.seqs.length > 0) queries.push({ ...statement, values: [now, g.seqs, g.tokens, ...g.extra] });
  };
  push(SQL.ack, acks);
  push(SQL.retry, retries);
  push(SQL.release, releases);
  push(SQL.dead, dead);
  return queries;
}

/** Runs the queries: a single one without a transaction (one round trip), several all or nothing. */
export async function runQueries(
  pool: pg.Pool,
  queries: readonly Query[],
  inTx: (work: (client: pg.PoolClient) => Promise<void>) => Promise<void>,
): Promise<void> {
  const [only] = queries;
  if (only === undefined) return;
  if (queries.length === 1) {
    await pool.query(only);
    return;
  }
  await inTx(async (client) => {
    for (const query of queries) await client.query(query);
  });
}
