import type Database from 'better-sqlite3';
import { databasePath } from '../storage/data-dir.js';
import { openSqlite } from '../storage/database.js';
import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { ImportConflictPolicy, ImportCounts, LocalIdentityStore, StoredIdentity } from './local-store-port.js';
import { IDENTITY_KINDS } from './settings.js';
import type { UserKey, UserRecord } from './user-key.js';

interface IdentityRow {
  user_id: number | null;
  username: string | null;
  kind: string;
  anonymous_id: string;
}

/**
 * `LocalIdentityStore` over the control plane's `identities` table (src/storage/control-plane-migrations.ts).
 * Open the database with `openControlPlaneDatabase` first on a new data directory, so that the
 * table exists.
 */
export function createSqliteLocalStore(sqlite: Database.Database, options: { now?: () => Date } = {}): LocalIdentityStore {
  const now = options.now ?? (() => new Date());
  const byId = sqlite.prepare<[number], IdentityRow>('SELECT * FROM identities WHERE user_id = ?');
  const byName = sqlite.prepare<[string], IdentityRow>('SELECT * FROM identities WHERE username = ?');
  const oneById = sqlite.prepare<[number, string], IdentityRow>('SELECT * FROM identities WHERE user_id = ? AND kind = ?');
  const oneByName = sqlite.prepare<[string, string], IdentityRow>('SELECT * FROM identities WHERE username = ? AND kind = ?');
  const insert = sqlite.prepare<[number | null, string | null, string, string, string]>(
    'INSERT INTO identities (user_id, username, kind, anonymous_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const all = sqlite.prepare<[], IdentityRow>('SELECT * FROM identities ORDER BY rowid');
  // `= NULL` is never true, so a row is matched only by the fields the imported row has.
  const deleteRow = sqlite.prepare<[string, number | null, string | null]>('DELETE FROM identities WHERE kind = ? AND (user_id = ? OR username = ?)');

  const existing = (user: UserRecord, kind: IdentityKind): IdentityRow | undefined =>
    (user.userId !== undefined ? oneById.get(user.userId, kind) : undefined) ?? (user.username !== undefined ? oneByName.get(user.username, kind) : undefined);

  const mintSync = (user: UserRecord, kind: IdentityKind, anonymousId: string): string => {
    const kept = existing(user, kind);
    if (kept !== undefined) return kept.anonymous_id;
    // INSERT … DO NOTHING, then read back: concurrent minters (another process) agree on one id.
    insert.run(user.userId ?? null, user.username ?? null, kind, anonymousId, now().toISOString());
    return existing(user, kind)?.anonymous_id ?? anonymousId;
  };

  const importSync = sqlite.transaction((rows: readonly StoredIdentity[], onConflict: ImportConflictPolicy) => {
    let inserted = 0;
    let unchanged = 0;
    let conflicts = 0;
    for (const row of rows) {
      const kept = existing(row, row.kind);
      if (kept === undefined) {
        insert.run(row.userId ?? null, row.username ?? null, row.kind, row.anonymousId, now().toISOString());
        inserted++;
      } else if (kept.anonymous_id === row.anonymousId) {
        unchanged++;
      } else {
        conflicts++;
        if (onConflict === 'replace') {
          deleteRow.run(row.kind, row.userId ?? null, row.username ?? null);
          insert.run(row.userId ?? null, row.username ?? null, row.kind, row.anonymousId, now().toISOString());
        }
      }
    }
    return { inserted, unchanged, conflicts };
  });

  return {
    async find(keys: readonly UserKey[]) {
      const result = new Map<string, StoredIdentity[]>();
      for (const key of keys) {
        // Kind by kind, an id match wins over a username match (ERB's get_user order).
        const rows = [...(key.id !== undefined ? byId.all(key.id) : []), ...byName.all(key.text)];
        const picked = new Map<string, StoredIdentity>();
        for (const row of rows) if (!picked.has(row.kind) && isKind(row.kind)) picked.set(row.kind, toStored(row));
        if (picked.size > 0) result.set(key.text, [...picked.values()]);
      }
      return result;
    },
    async mint(user, kind, anonymousId) {
      return mintSync(user, kind, anonymousId);
    },
    async *list() {
      for (const row of all.iterate()) if (isKind(row.kind)) yield toStored(row);
    },
    async importRows(rows, onConflict): Promise<ImportCounts> {
      return importSync(rows, onConflict);
    },
    async close() {
      sqlite.close();
    },
  };
}

/** Opens the data directory's database file (already migrated) as a local identity store. */
export function openSqliteLocalStore(dataDir: string): LocalIdentityStore {
  return createSqliteLocalStore(openSqlite(databasePath(dataDir)));
}

function isKind(kind: string): kind is IdentityKind {
  return (IDENTITY_KINDS as readonly string[]).includes(kind);
}

function toStored(row: IdentityRow): StoredIdentity {
  return {
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    ...(row.username !== null ? { username: row.username } : {}),
    kind: row.kind as IdentityKind,
    anonymousId: row.anonymous_id,
  };
}
