import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { parseUserKey } from '../identity/user-key.js';
import type { IdentityKind, Lookups } from '../transforms/shared/lookups.js';
import { databasePath } from './data-dir.js';
import { openSqlite } from './database.js';

export interface IdentityStoreOptions {
  /** Mint a UUID for a user seen for the first time (EVENT_ROUTER_MISSING_ID_POLICY `mint`). Default true. */
  readonly mint?: boolean;
  /** Ids held in memory; ids never change, so this only saves reads. Default 100 000. */
  readonly maxCached?: number;
}

/**
 * The local identity store of the embedded default: a random UUID minted once per
 * (user, xapi|caliper) on first sight and kept forever, like edx-platform's ExternalId.
 * Synchronous (better-sqlite3), so it satisfies the transformers' `Lookups` directly.
 * It knows no emails or course names; chain it with the static lookups file.
 *
 * The user text is read as ERB's `get_user` does: a numeric text is the LMS user id, anything
 * else a username (src/identity/user-key.ts). The table is the one `LocalIdentityStore`
 * (src/identity/local-store-port.ts) describes, so an async adapter can share it.
 */
export class SqliteIdentityStore implements Lookups {
  private readonly insertById: Database.Statement<[number, string, string, string]>;
  private readonly insertByName: Database.Statement<[string, string, string, string]>;
  private readonly selectById: Database.Statement<[number, string], { anonymous_id: string }>;
  private readonly selectByName: Database.Statement<[string, string], { anonymous_id: string }>;
  private readonly cache = new Map<string, string>();
  private readonly mint: boolean;
  private readonly maxCached: number;

  /** Takes its own connection: minting must never join another component's transaction. */
  constructor(
    private readonly sqlite: Database.Database,
    options: IdentityStoreOptions = {},
  ) {
    this.mint = options.mint ?? true;
    this.maxCached = options.maxCached ?? 100_000;
    // INSERT … DO NOTHING, then SELECT: two processes that see a new user agree on one id.
    const insert = 'INSERT INTO identities (%s, kind, anonymous_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING';
    this.insertById = sqlite.prepare(insert.replace('%s', 'user_id'));
    this.insertByName = sqlite.prepare(insert.replace('%s', 'username'));
    this.selectById = sqlite.prepare('SELECT anonymous_id FROM identities WHERE user_id = ? AND kind = ?');
    this.selectByName = sqlite.prepare('SELECT anonymous_id FROM identities WHERE username = ? AND kind = ?');
  }

  /** Open on the data directory's database (migrated by `openControlPlaneDatabase` first). */
  static open(dataDir: string, options: IdentityStoreOptions = {}): SqliteIdentityStore {
    return new SqliteIdentityStore(openSqlite(databasePath(dataDir)), options);
  }

  anonymousId(user: string, kind: IdentityKind): string | undefined {
    if (user.trim() === '') return undefined;
    const cacheKey = `${kind}\u0000${user}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const id = this.find(user, kind) ?? (this.mint ? this.create(user, kind) : undefined);
    if (id !== undefined) this.remember(cacheKey, id);
    return id;
  }

  email(): undefined {
    return undefined;
  }

  courseName(): undefined {
    return undefined;
  }

  close(): void {
    this.sqlite.close();
  }

  /** An id match first, then the username (ERB's get_user order). */
  private find(user: string, kind: IdentityKind): string | undefined {
    const key = parseUserKey(user);
    const byId = key.id === undefined ? undefined : this.selectById.get(key.id, kind);
    return (byId ?? this.selectByName.get(user, kind))?.anonymous_id;
  }

  private create(user: string, kind: IdentityKind): string | undefined {
    const key = parseUserKey(user);
    const now = new Date().toISOString();
    if (key.id !== undefined) this.insertById.run(key.id, kind, randomUUID(), now);
    else this.insertByName.run(user, kind, randomUUID(), now);
    return this.find(user, kind);
  }

  private remember(cacheKey: string, id: string): void {
    if (this.cache.size >= this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(cacheKey, id);
  }
}
