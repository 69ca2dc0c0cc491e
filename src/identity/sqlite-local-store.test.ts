import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { assertConcurrentMintsAgree } from '../../test/support/concurrent-mints.js';
import { databasePath } from '../storage/data-dir.js';
import { openControlPlaneDatabase, openSqlite } from '../storage/database.js';
import type { LocalIdentityStore, StoredIdentity } from './local-store-port.js';
import { createSqliteLocalStore, openSqliteLocalStore } from './sqlite-local-store.js';
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
    assert.deepEqual(
      found
        .get('bob')
        ?.map((r) => r.kind)
        .sort(),
      ['caliper', 'xapi'],
    );
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

  it('lists rows in the order they were kept (an export reads as the store filled)', async () => {
    // One timestamp for all: the order must come from the file, not from created_at and kind.
    const at = createSqliteLocalStore(openSqlite(databasePath(dir)), { now: () => new Date('2026-01-01T00:00:00Z') });
    const kept = [
      { username: 'zoe', kind: 'xapi' as const },
      { userId: 900, kind: 'caliper' as const },
      { username: 'adam', kind: 'xapi' as const },
      { userId: 3, kind: 'xapi' as const },
    ];
    const ids = kept.map((_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    try {
      for (const [i, user] of kept.entries()) await at.mint(user, user.kind, ids[i] as string);
    } finally {
      await at.close();
    }
    const listed: StoredIdentity[] = [];
    for await (const row of store.list()) listed.push(row);
    assert.deepEqual(
      listed.slice(-kept.length).map((row) => row.anonymousId),
      ids,
    );
  });

  it('two connections to the file (pipeline thread, admin API) minting the same users agree on one id each', async () => {
    const other = openSqliteLocalStore(dir);
    try {
      await assertConcurrentMintsAgree(store, other);
    } finally {
      await other.close();
    }
  });

  it('a mint waits for a write another thread holds, instead of failing with SQLITE_BUSY', async () => {
    // Another thread: better-sqlite3 blocks its thread while it waits, so the lock must be held elsewhere.
    const holder = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const db = new (require('better-sqlite3'))(workerData.path);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO identities (user_id, username, kind, anonymous_id, created_at) VALUES (4242, NULL, 'xapi', ?, '2026-01-01T00:00:00.000Z')").run(workerData.id);
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, 300);`,
      { eval: true, workerData: { path: databasePath(dir), id: A } },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    const messages: string[] = [];
    holder.on('message', (message: string) => messages.push(message));
    await new Promise<void>((resolve) => holder.once('message', () => resolve()));
    try {
      // The holder's row commits first, so its id is the one kept.
      assert.equal(await store.mint({ userId: 4242 }, 'xapi', B), A);
    } finally {
      await exited;
    }
    assert.deepEqual(messages, ['locked', 'released']);
  });
});
