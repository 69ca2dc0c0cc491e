import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './run-migrations.js';

/**
 * Schema migrations, as a static list (no loading by file name), one list for SQLite and
 * PostgreSQL. Kysely's schema builder writes each engine's DDL; a step differs by dialect only
 * where the engines do (0003). Append; never edit a released one.
 */
export const controlPlaneMigrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001_routers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('routers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('backend', 'text', (c) => c.notNull())
        .addColumn('route_url', 'text', (c) => c.notNull().unique())
        .addColumn('auth_scheme', 'text', (c) => c.notNull())
        .addColumn('username_enc', 'text')
        .addColumn('password_enc', 'text')
        .addColumn('token_enc', 'text')
        .addColumn('configurations_enc', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('control_plane_versions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('control_plane_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_identities': {
    async up(db: Kysely<unknown>) {
      // A kept id is unique per (user id, kind) and per (username, kind), whichever the row
      // has (src/identity/local-store-port.ts); NULLs never collide in a unique index.
      await db.schema
        .createTable('identities')
        .addColumn('user_id', 'integer')
        .addColumn('username', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('anonymous_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identities_user_id_kind').unique().on('identities').columns(['user_id', 'kind']).execute();
      await db.schema.createIndex('identities_username_kind').unique().on('identities').columns(['username', 'kind']).execute();
    },
  },
  '0003_identities_user_id_64_bit': {
    async up(db: Kysely<unknown>) {
      // LMS user ids are parsed up to 2^53 (src/identity/user-key.ts). SQLite's INTEGER holds
      // 64 bits already; PostgreSQL's holds 32, and a larger id would fail the query.
      if (dialect === 'postgres') await sql`ALTER TABLE identities ALTER COLUMN user_id TYPE BIGINT`.execute(db);
    },
  },
  '0004_replay_checkpoints': {
    async up(db: Kysely<unknown>) {
      // Replay progress per (scope, source) (src/replay/checkpoint-store.ts). The embedded default
      // keeps it in a file of its own (--checkpoint FILE); with DATABASE_URL it lives here.
      // BIGINT: a source may pass 2^31 bytes.
      await db.schema
        .createTable('replay_checkpoints')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('lines', 'bigint', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('replay_checkpoints_pk', ['scope', 'identity'])
        .execute();
    },
  },
});
