import type pg from 'pg';

export interface VersionedSchema {
  /** What the tables are, for the error message ("outbox", "inbox"). */
  readonly name: string;
  /** Table that records the versions applied (one row per version). */
  readonly versionTable: string;
  /** Advisory lock key, one per schema: instances that start together queue on it. */
  readonly lock: number;
  /** DDL of version n at index n - 1. */
  readonly steps: readonly string[];
}

/**
 * Creates or upgrades a schema whose DDL is per engine (the outbox, the inbox); refuses a database
 * written by a newer version. Instances that start together queue on an advisory lock, so exactly
 * one of them creates the tables.
 */
export async function migrateVersionedSchema(pool: pg.Pool, schema: VersionedSchema): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [schema.lock]);
    // Look before creating: CREATE … IF NOT EXISTS needs the CREATE privilege even when the table
    // exists, and the user of a running deployment may only read and write.
    const { rows: found } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [schema.versionTable]);
    let version = 0;
    if (found[0]?.present) {
      const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${schema.versionTable}`);
      version = rows[0]?.version ?? 0;
    } else {
      await client.query(`CREATE TABLE ${schema.versionTable} (version INTEGER NOT NULL)`);
    }
    const supported = schema.steps.length;
    if (version > supported) {
      throw new Error(`${schema.name} schema version ${version} is newer than this build supports (${supported})`);
    }
    for (let next = version + 1; next <= supported; next++) {
      await client.query(schema.steps[next - 1] as string);
      await client.query(`INSERT INTO ${schema.versionTable} (version) VALUES ($1)`, [next]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
