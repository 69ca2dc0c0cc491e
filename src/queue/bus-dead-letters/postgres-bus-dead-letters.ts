import { openMigratedPostgresPool } from '../../storage/postgres-migrations.js';
import { postgresInboxMigrations } from '../inbox/postgres-schema.js';
import { guardedDeadLetterStore, INSERT_COLUMNS } from './guarded-store.js';
import type { BusDeadLetterStore } from './port.js';

export interface PostgresBusDeadLettersOptions {
  connectionString: string;
  onPoolError?: (error: Error) => void;
  now?: () => number;
}

/** Poison bus messages in the PostgreSQL inbox database (`bus_dead_letters`), shared by every instance. */
export async function openPostgresBusDeadLetters(options: PostgresBusDeadLettersOptions): Promise<BusDeadLetterStore> {
  const pool = await openMigratedPostgresPool(
    {
      connectionString: options.connectionString,
      // Poison is rare: one connection is plenty.
      max: 1,
      applicationName: 'edx-event-router bus dead letters',
      ...(options.onPoolError ? { onError: options.onPoolError } : {}),
    },
    postgresInboxMigrations,
  );
  return guardedDeadLetterStore(
    {
      insert: (values) => pool.query(`INSERT INTO ${INSERT_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)`, values),
      count: async () => (await pool.query<{ n: number }>('SELECT count(*) AS n FROM bus_dead_letters')).rows[0]?.n ?? 0,
      close: () => pool.end(),
    },
    options.now ?? Date.now,
  );
}
