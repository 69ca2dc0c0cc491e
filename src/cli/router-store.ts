import type { Settings } from '../config/schema.js';
import type { RouterStore } from '../storage/router-store.js';
import { CliError } from '../core/cli-error.js';

/** The router store the settings name (DATABASE_URL, else the data directory), opened by a CLI command. */
export async function openCliRouterStore(settings: Settings): Promise<RouterStore> {
  // Loaded here, not at the top: other commands need not pay for Kysely and SQLite.
  const { openControlPlaneDatabase } = await import('../storage/database.js');
  const { createSqlRouterStore } = await import('../storage/sql-router-store.js');
  let database;
  try {
    database = await openControlPlaneDatabase({
      dataDir: settings.EVENT_ROUTER_DATA_DIR,
      secretKey: settings.EVENT_ROUTER_SECRET_KEY,
      databaseUrl: settings.DATABASE_URL,
    });
  } catch (error) {
    const where = settings.DATABASE_URL !== undefined ? 'the database (DATABASE_URL)' : `the data directory ${settings.EVENT_ROUTER_DATA_DIR}`;
    throw new CliError(`cannot open ${where}: ${(error as Error).message}`);
  }
  return createSqlRouterStore(database);
}
