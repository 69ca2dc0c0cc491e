import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { UserKey, UserRecord } from './user-key.js';

/**
 * One anonymous id the router keeps itself: minted when the LMS had none, or imported from
 * another deployment (`identities import`). The export/import row format.
 */
export interface StoredIdentity extends UserRecord {
  readonly kind: IdentityKind;
  /** 8-4-4-4-12, lowercase. */
  readonly anonymousId: string;
}

/** What an import did. */
export interface ImportCounts {
  readonly inserted: number;
  /** Rows equal to what is already kept. */
  readonly unchanged: number;
  /** Rows whose user and kind already have another id: kept as they were (`skip`) or replaced. */
  readonly conflicts: number;
}

export type ImportConflictPolicy = 'skip' | 'replace';

/**
 * The port the local identity store implements (SQLite in production, memory in tests). A kept
 * row is unique per (user id, kind) and per (username, kind), whichever it has. A user is
 * matched as ERB's `get_user` does: by id when the key is numeric, else/then by username.
 */
export interface LocalIdentityStore {
  /** The ids kept for each key (any kind), keyed by `UserKey.text`; keys with none are absent. */
  find(keys: readonly UserKey[]): Promise<ReadonlyMap<string, readonly StoredIdentity[]>>;
  /**
   * Keeps `anonymousId` for the user and kind unless an id is kept already, and returns the id
   * that is kept: the existing one wins (edx-platform's `get_or_create`), so concurrent mints agree.
   */
  mint(user: UserRecord, kind: IdentityKind, anonymousId: string): Promise<string>;
  /** Every kept id, in insertion order. */
  list(): AsyncIterable<StoredIdentity>;
  importRows(rows: readonly StoredIdentity[], onConflict: ImportConflictPolicy): Promise<ImportCounts>;
  close(): Promise<void>;
}
