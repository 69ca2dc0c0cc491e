import type { Kysely } from 'kysely';
import type { SecretBox } from './secret-box.js';
import type { ControlPlaneTables } from './tables.js';

/**
 * The control-plane database: one SQLite file in the data directory (the embedded default,
 * database.ts), or PostgreSQL when DATABASE_URL names one (postgres-database.ts). Its own file, so
 * that both openers depend on it and not on each other.
 */
export interface ControlPlaneDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  readonly db: Kysely<ControlPlaneTables>;
  /** Encrypts router secrets at rest. */
  readonly box: SecretBox;
  /** True when the encryption key file was created by this call (first run). */
  readonly keyCreated: boolean;
  close(): Promise<void>;
}
