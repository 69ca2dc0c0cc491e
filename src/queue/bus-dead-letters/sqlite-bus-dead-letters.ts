import { openMigratedSqlite } from '../../storage/sqlite-migrations.js';
import { sqliteInboxMigrations } from '../inbox/sqlite-schema.js';
import { guardedDeadLetterStore, INSERT_COLUMNS } from './guarded-store.js';
import type { BusDeadLetterStore } from './port.js';

/** Poison bus messages in the inbox file (`bus_dead_letters`), on a connection of their own. */
export async function openSqliteBusDeadLetters(options: { path: string; now?: () => number }): Promise<BusDeadLetterStore> {
  // The inbox's migrations: the table is part of that file's schema, whoever opens it first.
  const db = await openMigratedSqlite(options.path, {}, sqliteInboxMigrations);
  const insert = db.prepare<[string, string, string, string, Buffer, number]>(`INSERT INTO ${INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)`);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bus_dead_letters');
  return guardedDeadLetterStore(
    {
      insert: (values) => insert.run(...values),
      count: () => count.get()?.n ?? 0,
      close: () => {
        db.close();
      },
    },
    options.now ?? Date.now,
  );
}
