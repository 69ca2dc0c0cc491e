import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { ImportConflictPolicy, ImportCounts, LocalIdentityStore, StoredIdentity } from './local-store-port.js';
import type { UserKey, UserRecord } from './user-key.js';

/**
 * A `LocalIdentityStore` in memory: for tests, benchmarks and `--dry-run` use. It has the same
 * matching and conflict rules the SQLite store must have, so it doubles as the reference.
 */
export function createMemoryIdentityStore(initial: readonly StoredIdentity[] = []): LocalIdentityStore {
  const rows: StoredIdentity[] = [];

  const sameUser = (a: UserRecord, b: UserRecord): boolean =>
    (a.userId !== undefined && a.userId === b.userId) || (a.username !== undefined && a.username === b.username);
  const existing = (user: UserRecord, kind: IdentityKind): number => rows.findIndex((row) => row.kind === kind && sameUser(row, user));

  const store: LocalIdentityStore = {
    async find(keys: readonly UserKey[]) {
      const result = new Map<string, StoredIdentity[]>();
      for (const key of keys) {
        // An id match wins over a username match, kind by kind (ERB's get_user order).
        const byId = key.id === undefined ? [] : rows.filter((row) => row.userId === key.id);
        const byName = rows.filter((row) => row.username === key.text);
        const picked = new Map<IdentityKind, StoredIdentity>();
        for (const row of [...byId, ...byName]) if (!picked.has(row.kind)) picked.set(row.kind, row);
        if (picked.size > 0) result.set(key.text, [...picked.values()]);
      }
      return result;
    },
    async mint(user: UserRecord, kind: IdentityKind, anonymousId: string) {
      const index = existing(user, kind);
      if (index >= 0) return (rows[index] as StoredIdentity).anonymousId;
      rows.push({ ...pick(user), kind, anonymousId });
      return anonymousId;
    },
    async *list() {
      yield* rows.slice();
    },
    async importRows(input: readonly StoredIdentity[], onConflict: ImportConflictPolicy): Promise<ImportCounts> {
      let inserted = 0;
      let unchanged = 0;
      let conflicts = 0;
      for (const row of input) {
        const index = existing(row, row.kind);
        if (index < 0) {
          rows.push({ ...pick(row), kind: row.kind, anonymousId: row.anonymousId });
          inserted++;
        } else if ((rows[index] as StoredIdentity).anonymousId === row.anonymousId) {
          unchanged++;
        } else {
          conflicts++;
          if (onConflict === 'replace') rows[index] = { ...pick(row), kind: row.kind, anonymousId: row.anonymousId };
        }
      }
      return { inserted, unchanged, conflicts };
    },
    async close() {},
  };
  void store.importRows(initial, 'skip');
  return store;
}

function pick(user: UserRecord): UserRecord {
  return {
    ...(user.userId !== undefined ? { userId: user.userId } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
  };
}
