import type { IdentityKind } from '../../transforms/shared/lookups.js';
import { formatExternalId } from '../../transforms/shared/external-id.js';
import { found, unreachable, type UserIdentity, type UserProvider } from '../providers.js';
import { IDENTITY_KINDS } from '../settings.js';
import type { UserKey } from '../user-key.js';
import { externalIdKey, type ExternalIdRequest, type ExternalIdWriter } from './external-id-writer.js';
import { placeholders, selectChunked, type LmsDatabase, type Row } from './lms-database.js';

export interface LmsDatabaseUserOptions {
  /** Read `lti` ids for a kind whose ExternalIdType the LMS lacks (ERB ≥ 5.3.1). Default false. */
  readonly ltiFallback?: boolean;
  /**
   * EVENT_ROUTER_IDENTITY_LMS_WRITE: a learner the LMS has without an id of one of `create.kinds`
   * gets one created in the LMS (as ERB's get_or_create does), so the ids sent are the LMS's.
   */
  readonly create?: {
    readonly writer: ExternalIdWriter;
    /** The kinds the enabled backends send. */
    readonly kinds: readonly IdentityKind[];
    /** Ids this instance created (not those another writer won), by ExternalIdType name. */
    readonly onCreated?: (type: string, count: number) => void;
  };
}

interface DbUser {
  userId: number;
  username: string;
  email: string;
  ids: Map<string, string>;
}

/**
 * Users and their anonymous ids from edx-platform's tables: `auth_user` joined with
 * `external_user_ids_externalid` and `external_user_ids_externalidtype` (types `xapi`, `caliper`).
 * A key is matched as ERB's `get_user` does: `id=int(key)` first, then the username (with the
 * database's collation, case-insensitive on edx-platform's MySQL, as Django's `filter` is there).
 * This provider is the user directory: a user it does not know does not exist.
 */
export function createLmsDatabaseUserProvider(db: LmsDatabase, options: LmsDatabaseUserOptions = {}, name = 'lms-database'): UserProvider {
  let typeNames: Promise<Record<IdentityKind, string>> | undefined;

  // Which ExternalIdType each kind reads; looked up once (and again after a failure).
  const kindTypes = (): Promise<Record<IdentityKind, string>> => {
    if (!options.ltiFallback) return Promise.resolve({ xapi: 'xapi', caliper: 'caliper' });
    typeNames ??= db
      .select("SELECT name FROM external_user_ids_externalidtype WHERE name IN ('xapi', 'caliper', 'lti')", [])
      .then((rows) => {
        const present = new Set(rows.map((row) => row['name']));
        const pick = (kind: IdentityKind): string => (present.has(kind) || !present.has('lti') ? kind : 'lti');
        return { xapi: pick('xapi'), caliper: pick('caliper') };
      })
      .catch((error: unknown) => {
        typeNames = undefined;
        throw error;
      });
    return typeNames;
  };

  return {
    name,
    authoritative: true,
    async findUsers(keys) {
      try {
        const types = await kindTypes();
        const typeList = [...new Set(IDENTITY_KINDS.map((kind) => types[kind]))];
        const rows = await selectChunked(keys, (chunk) => selectUsers(db, chunk, typeList));
        const users = indexUsers(groupUsers(rows));
        const matched: Array<[string, DbUser]> = [];
        for (const key of keys) {
          const user = matchUser(key, users);
          if (user !== undefined) matched.push([key.text, user]);
        }
        if (options.create !== undefined) {
          // Only for the users asked about (a numeric key also brings back a user of that username).
          const created = await createMissing(options.create, [...new Set(matched.map(([, user]) => user))], types);
          if (!created.ok) return { ok: false, reason: `${name} could not create external ids: ${created.reason}` };
        }
        return found(matched.map(([text, user]): [string, UserIdentity] => [text, toIdentity(user, types)]));
      } catch (error) {
        return unreachable(name, error);
      }
    },
    async close() {
      await options.create?.writer.close();
      await db.close();
    },
  };
}

function selectUsers(db: LmsDatabase, keys: readonly UserKey[], typeList: readonly string[]): Promise<Row[]> {
  const ids = keys.flatMap((key) => (key.id !== undefined ? [key.id] : []));
  // A numeric key may be a username too (ERB falls back to the username when no id matches).
  const usernames = keys.map((key) => key.text);
  const where = [...(ids.length > 0 ? [`u.id IN (${placeholders(ids.length)})`] : []), `u.username IN (${placeholders(usernames.length)})`].join(' OR ');
  const sql =
    'SELECT u.id AS user_id, u.username, u.email, t.name AS type_name, e.external_user_id ' +
    'FROM auth_user u ' +
    'LEFT JOIN (external_user_ids_externalid e JOIN external_user_ids_externalidtype t ' +
    `ON t.id = e.external_id_type_id AND t.name IN (${placeholders(typeList.length)})) ` +
    `ON e.user_id = u.id WHERE ${where}`;
  return db.select(sql, [...typeList, ...ids, ...usernames]);
}

/** Creates the missing ids of the users found, and records them on the users as read back from the LMS. */
async function createMissing(
  create: NonNullable<LmsDatabaseUserOptions['create']>,
  users: readonly DbUser[],
  types: Record<IdentityKind, string>,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const requests: ExternalIdRequest[] = [];
  for (const user of users) {
    for (const kind of create.kinds) if (!user.ids.has(types[kind])) requests.push({ userId: user.userId, type: types[kind] });
  }
  if (requests.length === 0) return { ok: true };
  const answer = await create.writer.getOrCreate(requests);
  if (!answer.ok) return answer;
  for (const [type, count] of answer.created) if (count > 0) create.onCreated?.(type, count);
  const byUser = new Map(users.map((user) => [user.userId, user]));
  for (const request of requests) {
    const id = answer.ids.get(externalIdKey(request.userId, request.type));
    if (id !== undefined) byUser.get(request.userId)?.ids.set(request.type, id);
  }
  return { ok: true };
}

function groupUsers(rows: readonly Row[]): Map<number, DbUser> {
  const users = new Map<number, DbUser>();
  for (const row of rows) {
    const userId = Number(row['user_id']);
    let user = users.get(userId);
    if (user === undefined) {
      user = { userId, username: String(row['username']), email: String(row['email'] ?? ''), ids: new Map() };
      users.set(userId, user);
    }
    const type = row['type_name'];
    const stored = row['external_user_id'];
    if (typeof type === 'string' && typeof stored === 'string') {
      const formatted = formatExternalId(stored);
      if (formatted !== undefined) user.ids.set(type, formatted);
    }
  }
  return users;
}

interface UserIndex {
  byId: ReadonlyMap<number, DbUser>;
  byName: ReadonlyMap<string, DbUser>;
  byFoldedName: ReadonlyMap<string, DbUser>;
}

function indexUsers(byId: ReadonlyMap<number, DbUser>): UserIndex {
  const byName = new Map<string, DbUser>();
  const byFoldedName = new Map<string, DbUser>();
  for (const user of byId.values()) {
    byName.set(user.username, user);
    byFoldedName.set(user.username.toLowerCase(), user);
  }
  return { byId, byName, byFoldedName };
}

function matchUser(key: UserKey, users: UserIndex): DbUser | undefined {
  const byId = key.id !== undefined ? users.byId.get(key.id) : undefined;
  return byId ?? users.byName.get(key.text) ?? users.byFoldedName.get(key.text.toLowerCase());
}

function toIdentity(user: DbUser, types: Record<IdentityKind, string>): UserIdentity {
  const anonymousIds: Partial<Record<IdentityKind, string>> = {};
  for (const kind of IDENTITY_KINDS) {
    const id = user.ids.get(types[kind]);
    if (id !== undefined) anonymousIds[kind] = id;
  }
  return {
    userId: user.userId,
    username: user.username,
    ...(user.email !== '' ? { email: user.email } : {}),
    anonymousIds,
  };
}
