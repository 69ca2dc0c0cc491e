import type { Kysely, Transaction } from 'kysely';
import type { ControlPlaneTables, IdentitiesTable } from '../storage/tables.js';
import type { IdentityKind } from '../transforms/shared/lookups.js';
import type { ImportConflictPolicy, ImportCounts, LocalIdentityStore, StoredIdentity } from './local-store-port.js';
import { IDENTITY_KINDS } from './settings.js';
import type { UserKey, UserRecord } from './user-key.js';

type Db = Kysely<ControlPlaneTables> | Transaction<ControlPlaneTables>;
type Row = Pick<IdentitiesTable, 'user_id' | 'username' | 'kind' | 'anonymous_id' | 'created_at'>;

/** Rows per page when listing: an export of millions of ids never sits in memory at once. */
const DEFAULT_PAGE = 1000;

/**
 * `LocalIdentityStore` over the control plane's `identities` table through Kysely, so it runs
 * on PostgreSQL (several instances minting into one table) as well as on SQLite; the SQLite
 * adapter of the embedded default is src/identity/sqlite-local-store.ts. The database is the
 * control plane's (`openControlPlaneDatabase`), already migrated.
 */
export interface SqlLocalStoreOptions {
  readonly now?: () => Date;
  /** What `close()` does, e.g. close the database when the store owns it (a CLI command). Default: nothing. */
  readonly close?: () => Promise<void>;
  /** Rows per page when listing; default 1000. */
  readonly pageSize?: number;
}

export function createSqlLocalStore(db: Kysely<ControlPlaneTables>, options: SqlLocalStoreOptions = {}): LocalIdentityStore {
  const now = options.now ?? (() => new Date());
  const page = options.pageSize ?? DEFAULT_PAGE;

  async function existing(trx: Db, user: UserRecord, kind: IdentityKind): Promise<Row | undefined> {
    if (user.userId !== undefined) {
      const byId = await trx.selectFrom('identities').selectAll().where('user_id', '=', user.userId).where('kind', '=', kind).executeTakeFirst();
      if (byId !== undefined) return byId;
    }
    if (user.username === undefined) return undefined;
    return trx.selectFrom('identities').selectAll().where('username', '=', user.username).where('kind', '=', kind).executeTakeFirst();
  }

  async function insert(trx: Db, user: UserRecord, kind: IdentityKind, anonymousId: string): Promise<void> {
    await trx
      .insertInto('identities')
      .values({
        user_id: user.userId ?? null,
        username: user.username ?? null,
        kind,
        anonymous_id: anonymousId,
        created_at: now().toISOString(),
      })
      // Either unique index may refuse it: another minter (instance) was first, and its id wins.
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  return {
    async find(keys: readonly UserKey[]) {
      const result = new Map<string, StoredIdentity[]>();
      if (keys.length === 0) return result;
      const ids = keys.flatMap((key) => (key.id === undefined ? [] : [key.id]));
      const names = keys.map((key) => key.text);
      // One query for the whole batch; matching per key below.
      const rows = await db
        .selectFrom('identities')
        .selectAll()
        .where((eb) => eb.or([...(ids.length > 0 ? [eb('user_id', 'in', ids)] : []), eb('username', 'in', names)]))
        .execute();
      for (const key of keys) {
        // Kind by kind, an id match wins over a username match (ERB's get_user order).
        const byId = key.id === undefined ? [] : rows.filter((row) => row.user_id !== null && Number(row.user_id) === key.id);
        const byName = rows.filter((row) => row.username === key.text);
        const picked = new Map<string, StoredIdentity>();
        for (const row of [...byId, ...byName]) if (!picked.has(row.kind) && isKind(row.kind)) picked.set(row.kind, toStored(row));
        if (picked.size > 0) result.set(key.text, [...picked.values()]);
      }
      return result;
    },

    async mint(user, kind, anonymousId) {
      const kept = await existing(db, user, kind);
      if (kept !== undefined) return kept.anonymous_id;
      // INSERT … DO NOTHING, then read back: concurrent minters agree on one id.
      await insert(db, user, kind, anonymousId);
      return (await existing(db, user, kind))?.anonymous_id ?? anonymousId;
    },

    async *list() {
      // Keyset pages in a stable order. The tuple is unique: a row has a user id or a username,
      // and each is unique per kind.
      let after: [string, string, number, string] | undefined;
      for (;;) {
        let query = db
          .selectFrom('identities')
          .select(['user_id', 'username', 'kind', 'anonymous_id', 'created_at'])
          .select((eb) => [eb.fn.coalesce('user_id', eb.lit(-1)).as('uid'), eb.fn.coalesce('username', eb.val('')).as('uname')]);
        if (after !== undefined) {
          const [createdAt, kind, uid, uname] = after;
          query = query.where((eb) =>
            eb(
              eb.refTuple('created_at', 'kind', eb.fn.coalesce('user_id', eb.lit(-1)), eb.fn.coalesce('username', eb.val(''))),
              '>',
              eb.tuple(createdAt, kind, uid, uname),
            ),
          );
        }
        const rows = await query
          .orderBy('created_at')
          .orderBy('kind')
          .orderBy((eb) => eb.fn.coalesce('user_id', eb.lit(-1)))
          .orderBy((eb) => eb.fn.coalesce('username', eb.val('')))
          .limit(page)
          .execute();
        for (const row of rows) if (isKind(row.kind)) yield toStored(row);
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < page) return;
        after = [last.created_at, last.kind, Number(last.uid), String(last.uname)];
      }
    },

    async importRows(rows: readonly StoredIdentity[], onConflict: ImportConflictPolicy): Promise<ImportCounts> {
      return db.transaction().execute(async (trx) => {
        let inserted = 0;
        let unchanged = 0;
        let conflicts = 0;
        for (const row of rows) {
          const kept = await existing(trx, row, row.kind);
          if (kept === undefined) {
            await insert(trx, row, row.kind, row.anonymousId);
            inserted++;
          } else if (kept.anonymous_id === row.anonymousId) {
            unchanged++;
          } else {
            conflicts++;
            if (onConflict === 'replace') {
              await trx
                .deleteFrom('identities')
                .where('kind', '=', row.kind)
                .where((eb) =>
                  eb.or([
                    ...(row.userId !== undefined ? [eb('user_id', '=', row.userId)] : []),
                    ...(row.username !== undefined ? [eb('username', '=', row.username)] : []),
                  ]),
                )
                .execute();
              await insert(trx, row, row.kind, row.anonymousId);
            }
          }
        }
        return { inserted, unchanged, conflicts };
      });
    },

    // The database belongs to the control plane; only a store told to closes it.
    async close() {
      await options.close?.();
    },
  };
}

function isKind(kind: string): kind is IdentityKind {
  return (IDENTITY_KINDS as readonly string[]).includes(kind);
}

function toStored(row: Pick<Row, 'user_id' | 'username' | 'kind' | 'anonymous_id'>): StoredIdentity {
  return {
    ...(row.user_id !== null ? { userId: Number(row.user_id) } : {}),
    ...(row.username !== null ? { username: row.username } : {}),
    kind: row.kind as IdentityKind,
    anonymousId: row.anonymous_id,
  };
}
