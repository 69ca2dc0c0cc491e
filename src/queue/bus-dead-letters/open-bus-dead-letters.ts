import { isPostgresUrl } from '../../storage/database-url.js';
import type { BusDeadLetterStore } from './port.js';

export interface OpenBusDeadLettersOptions {
  /** DATABASE_URL: a postgres:// URL keeps them in the shared inbox database. */
  readonly databaseUrl?: string | undefined;
  /** SQLite: the inbox file (`<data dir>/inbox.sqlite`). */
  readonly sqlitePath: string;
  readonly onPoolError?: (error: Error) => void;
}

/** The bus dead-letter store beside the inbox DATABASE_URL names. */
export async function openBusDeadLetters(options: OpenBusDeadLettersOptions): Promise<BusDeadLetterStore> {
  if (isPostgresUrl(options.databaseUrl)) {
    // Loaded only when asked for, so the embedded default never loads pg.
    const { openPostgresBusDeadLetters } = await import('./postgres-bus-dead-letters.js');
    return openPostgresBusDeadLetters({
      connectionString: options.databaseUrl,
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
    });
  }
  const { openSqliteBusDeadLetters } = await import('./sqlite-bus-dead-letters.js');
  return openSqliteBusDeadLetters({ path: options.sqlitePath });
}
