import assert from 'node:assert/strict';
import type { LocalIdentityStore } from '../../src/identity/local-store-port.js';

/**
 * Mints 20 new users through two stores on one database at once, the first naming each by id
 * and username, the second by username only, each offering its own id; fails unless both got
 * the same id for every user (the first kept id wins).
 */
export async function assertConcurrentMintsAgree(first: LocalIdentityStore, second: LocalIdentityStore, firstUserId = 100): Promise<void> {
  const users = Array.from({ length: 20 }, (_, i) => ({ userId: firstUserId + i, username: `u${firstUserId + i}` }));
  const results = await Promise.all(
    users.flatMap((user, i) => [
      first.mint(user, 'xapi', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
      second.mint({ username: user.username }, 'xapi', `11111111-0000-4000-8000-${String(i).padStart(12, '0')}`),
    ]),
  );
  for (let i = 0; i < users.length; i++) assert.equal(results[2 * i], results[2 * i + 1], `user ${i}`);
}
