import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openControlPlaneDatabase } from '../storage/database.js';
import type { LocalIdentityStore, StoredIdentity } from './local-store-port.js';
import { openSqliteLocalStore } from './sqlite-local-store.js';
import { parseUserKey } from './user-key.js';

const A = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
const B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('SQLite local identity store (the control plane identities table)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'identity-store-'));
  let store: LocalIdentityStore;

  before(async () => {
    const database = await openControlPlaneDatabase({ dataDir: dir, secretKey: undefined });
    await database.close();
    store = openSqliteLocalStore(dir);
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mint keeps the first id: a second mint for the same user (by id or by username) gets it back', async () => {
    assert.equal(await store.mint({ userId: 5, username: 'bob' }, 'xapi', A), A);
    assert.equal(await store.mint({ userId: 5 }, 'xapi', B), A);
    assert.equal(await store.mint({ username: 'bob' }, 'xapi', B), A);
    assert.equal(await store.mint({ username: 'bob' }, 'caliper', B), B);
  });

  it('find matches by id first, then by username, kind by kind', async () => {
    const found = await store.find([parseUserKey('5'), parseUserKey('bob'), parseUserKey('nobody')]);
    assert.deepEqual(
      found.get('5')?.map((r) => [r.kind, r.anonymousId]),
      [['xapi', A]],
    );
    assert.deepEqual(found.get('bob')?.map((r) => r.kind).sort(), ['caliper', 'xapi']);
    assert.equal(found.has('nobody'), false);
  });

  it('lists and imports rows (conflicts skipped or replaced)', async () => {
    const rows: StoredIdentity[] = [];
    for await (const row of store.list()) rows.push(row);
    assert.deepEqual(rows[0], { userId: 5, username: 'bob', kind: 'xapi', anonymousId: A });
    const counts = await store.importRows(
      [
        { userId: 8, kind: 'xapi', anonymousId: B },
        { userId: 5, kind: 'xapi', anonymousId: B },
        { userId: 5, username: 'bob', kind: 'xapi', anonymousId: A },
      ],
      'skip',
    );
    assert.deepEqual(counts, { inserted: 1, unchanged: 1, conflicts: 1 });
    await store.importRows([{ userId: 5, username: 'bob', kind: 'xapi', anonymousId: B }], 'replace');
    const found = await store.find([parseUserKey('bob')]);
    assert.equal(found.get('bob')?.find((r) => r.kind === 'xapi')?.anonymousId, B);
  });
});
