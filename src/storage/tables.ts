/**
 * Table shapes for Kysely. Types stay within what SQLite and PostgreSQL share: text, integer
 * (booleans as 0/1), ISO 8601 text timestamps, so a pg dialect can reuse the store unchanged.
 */
export interface RoutersTable {
  id: string;
  backend: string;
  route_url: string;
  auth_scheme: string;
  /** Sealed with the secret box (see secret-box.ts); null when unset. */
  username_enc: string | null;
  password_enc: string | null;
  token_enc: string | null;
  configurations_enc: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Change counters, bumped in the same transaction as each change (`routers`). */
export interface VersionsTable {
  name: string;
  version: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface IdentitiesTable {
  user_id: number | null;
  username: string | null;
  kind: string;
  anonymous_id: string;
  created_at: string;
}

/** Replay progress (src/replay/checkpoint-store.ts); `done` as 0/1. */
export interface ReplayCheckpointsTable {
  scope: string;
  identity: string;
  source: string;
  encoding: string;
  lines: number;
  bytes: number;
  done: number;
  updated_at: string;
}

export interface ControlPlaneTables {
  routers: RoutersTable;
  control_plane_versions: VersionsTable;
  control_plane_meta: MetaTable;
  identities: IdentitiesTable;
  replay_checkpoints: ReplayCheckpointsTable;
}
