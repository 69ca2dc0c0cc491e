import type { LocalIdentityStore } from './local-store-port.js';
import { found, unreachable, type UserIdentity, type UserProvider } from './providers.js';

/** The local identity store as a user provider (lookups only; minting is the resolver's job). */
export function createLocalStoreProvider(store: LocalIdentityStore, name = 'local-store'): UserProvider {
  return {
    name,
    authoritative: false,
    async findUsers(keys) {
      let kept;
      try {
        kept = await store.find(keys);
      } catch (error) {
        return unreachable(name, error);
      }
      const entries: Array<[string, UserIdentity]> = [];
      for (const [text, rows] of kept) {
        const anonymousIds: Record<string, string> = {};
        let userId: number | undefined;
        let username: string | undefined;
        for (const row of rows) {
          anonymousIds[row.kind] ??= row.anonymousId;
          userId ??= row.userId;
          username ??= row.username;
        }
        entries.push([text, { anonymousIds, ...(userId !== undefined ? { userId } : {}), ...(username !== undefined ? { username } : {}) }]);
      }
      return found(entries);
    },
  };
}
