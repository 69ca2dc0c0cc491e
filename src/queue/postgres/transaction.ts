import type pg from 'pg';

/** Deadlock and serialization failures: PostgreSQL rolled back, running it again is safe. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs `work` in one transaction on one pooled connection, again (up to 3 times) when
 * PostgreSQL aborts it for a deadlock. A connection whose ROLLBACK fails is discarded.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      const code = (error as { code?: string }).code;
      if (attempt < 3 && code !== undefined && RETRYABLE.has(code)) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
