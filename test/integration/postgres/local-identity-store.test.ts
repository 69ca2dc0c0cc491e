import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LocalIdentityStore, StoredIdentity } from '../../../src/identity/local-store-port.js';
import { createSqlLocalStore } from '../../../src/identity/sql-local-store.js';
import { parseUserKey } from '../../../src/identity/user-key.js';
import { openControlPlaneDatabase, type ControlPlaneDatabase } from '../../../src/storage/database.js';
import { assertConcurrentMintsAgree } from '../../support/concurrent-mints.js';
import { createTestDatabase, skipOrFail, testServer } from './test-database.js';

const A = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
const B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const KEY = 'ab'.repeat(32);
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const server = await testServer();
const pgDatabase = server.ok ? await createTestDatabase(server.adminUrl) : undefined;

/** The Kysely identity store on each dialect: the same behaviour as the SQLite adapter's. */
const dialects: Array<{ name: string; open: () => Promise<ControlPlaneDatabase> }> = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'edx-sql-identities-'));
      dirs.push(dir);
      return openControlPlaneDatabase({ dataDir: dir, secretKey: KEY });
    },
  },
  {
    name: 'postgres',
    open: async () => {
      if (pgDatabase === undefined) throw new Error('no PostgreSQL');
      const schema = await pgDatabase.schema();
      return openControlPlaneDatabase({ dataDir: '/nonexistent', secretKey: KEY, databaseUrl: schema.url, poolSize: 3 });
    },
  },
];

for (const dialect of dialects) {
  describe(`SQL local identity store (${dialect.name})`, () => {
    if (dialect.name === 'postgres' && !server.ok) {
      it('needs PostgreSQL', (t) => skipOrFail(t, server.reason));
      return;
    }

    async function withStore(work: (store: LocalIdentityStore, database: ControlPlaneDatabase) => Promise<void>, pageSize?: number) {
      const database = await dialect.open();
      const store = createSqlLocalStore(database.db, { ...(pageSize ? { pageSize } : {}), close: () => database.close() });
      try {
        await work(store, database);
      } finally {
        await store.close();
      }
    }

    it('mint keeps the first id; find matches by id first, then by username, kind by kind', () =>
      withStore(async (store) => {
        assert.equal(await store.mint({ userId: 5, username: 'bob' }, 'xapi', A), A);
        assert.equal(await store.mint({ userId: 5 }, 'xapi', B), A);
        assert.equal(await store.mint({ username: 'bob' }, 'xapi', B), A);
        assert.equal(await store.mint({ username: 'bob' }, 'caliper', B), B);
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
      }));

    it('keeps user ids beyond 32 bits', () =>
      withStore(async (store) => {
        const big = 2 ** 40 + 3;
        assert.equal(await store.mint({ userId: big }, 'xapi', A), A);
        const found = await store.find([parseUserKey(String(big))]);
        assert.deepEqual(found.get(String(big)), [{ userId: big, kind: 'xapi', anonymousId: A }]);
      }));

    it('concurrent mints for one user (two connections) agree on one id', () =>
      withStore(async (store, database) => {
        // A second store on the same database: on PostgreSQL its queries run on other pooled connections.
        await assertConcurrentMintsAgree(store, createSqlLocalStore(database.db));
      }));

    it('lists every row across pages and imports rows (conflicts skipped or replaced)', () =>
      withStore(async (store) => {
        const rows: StoredIdentity[] = Array.from({ length: 25 }, (_, i) => ({
          ...(i % 2 === 0 ? { userId: i + 1 } : {}),
          ...(i % 3 === 0 ? {} : { username: `user-${i}` }),
          ...(i % 2 !== 0 && i % 3 === 0 ? { username: `only-${i}` } : {}),
          kind: i % 4 === 0 ? 'caliper' : 'xapi',
          anonymousId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        }));
        assert.deepEqual(await store.importRows(rows, 'skip'), { inserted: 25, unchanged: 0, conflicts: 0 });
        const listed: StoredIdentity[] = [];
        for await (const row of store.list()) listed.push(row);
        const key = (r: StoredIdentity): string => r.anonymousId;
        assert.deepEqual(listed.map(key).sort(), rows.map(key).sort());
        const counts = await store.importRows(
          [{ userId: 1000, kind: 'xapi', anonymousId: B }, { userId: 1, kind: 'caliper', anonymousId: B }, rows[0] as StoredIdentity],
          'skip',
        );
        assert.deepEqual(counts, { inserted: 1, unchanged: 1, conflicts: 1 });
        await store.importRows([{ userId: 1, kind: 'caliper', anonymousId: B }], 'replace');
        const found = await store.find([parseUserKey('1')]);
        assert.equal(found.get('1')?.find((r) => r.kind === 'caliper')?.anonymousId, B);
      }, 7));
  });
}
