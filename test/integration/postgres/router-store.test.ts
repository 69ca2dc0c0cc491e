import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RouterSpec } from '../../../src/routers/types.js';
import { openControlPlaneDatabase, StorageError } from '../../../src/storage/database.js';
import type { RouterStore } from '../../../src/storage/router-store.js';
import { createSqlRouterStore } from '../../../src/storage/sql-router-store.js';
import { createTestDatabase, testServer, skipOrFail, type TestDatabase } from './test-database.js';

const KEY = 'ab'.repeat(32);
const dataDir = mkdtempSync(join(tmpdir(), 'edx-router-pg-store-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const SECRETS = { password: 'pw-0123456789-SECRET', token: 'tok-9876543210-SECRET', header: 'hdr-5555-SECRET' };
const basic: RouterSpec = {
  backend: 'xapi',
  routeUrl: 'https://lrs.example.com/xAPI/',
  auth: { scheme: 'basic', username: 'lrs-user', password: SECRETS.password },
  enabled: true,
  configurations: { match_params: { 'context.org_id': 'edX' }, headers: { 'X-Api-Key': SECRETS.header } },
};
const bearer: RouterSpec = {
  backend: 'caliper',
  routeUrl: 'https://caliper.example.com/',
  auth: { scheme: 'bearer', token: SECRETS.token },
  enabled: true,
  configurations: { override_args: { sensor: 's' }, match_params: { name: ['^problem', 'video'] } },
};

const server = await testServer();

const database = server.ok ? await createTestDatabase(server.adminUrl) : undefined;

/** A fresh schema per case (route URLs are unique, and one case checks the key). */
async function fresh(): Promise<TestDatabase> {
  if (database === undefined) throw new Error('no PostgreSQL');
  return database.schema();
}

async function openStore(db: TestDatabase, secretKey: string | undefined = KEY): Promise<RouterStore> {
  return createSqlRouterStore(await openControlPlaneDatabase({ dataDir, secretKey, databaseUrl: db.url, poolSize: 2 }));
}

describe('SQL router store (PostgreSQL)', () => {
  if (!server.ok) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.reason));
    return;
  }

  it('creates, reads, updates and removes routers; route URLs are unique', async () => {
    const store = await openStore(await fresh());
    try {
      const created = await store.create(basic);
      assert.ok(created.ok);
      assert.deepEqual({ ...created.router, id: '', createdAt: '', updatedAt: '' }, { ...basic, id: '', createdAt: '', updatedAt: '' });
      assert.deepEqual(await store.get(created.router.id), created.router);
      const duplicate = await store.create({ ...bearer, routeUrl: basic.routeUrl });
      assert.ok(!duplicate.ok && duplicate.reason === 'conflict');
      const updated = await store.update(created.router.id, { ...basic, enabled: false });
      assert.ok(updated.ok && updated.router.enabled === false && updated.router.createdAt === created.router.createdAt);
      const missing = await store.update('nope', basic);
      assert.ok(!missing.ok && missing.reason === 'not_found');
      assert.equal(await store.remove(created.router.id), true);
      assert.equal(await store.remove(created.router.id), false);
      assert.deepEqual(await store.list(), []);
    } finally {
      await store.close();
    }
  });

  it('bumps the version on every change, and only then; imports by route URL', async () => {
    const store = await openStore(await fresh());
    try {
      const v0 = await store.version();
      assert.equal(typeof v0, 'number');
      assert.ok((await store.create(basic)).ok);
      const v1 = await store.version();
      assert.ok(v1 > v0);
      await store.create(basic); // conflict: nothing changes
      await store.remove('nope');
      assert.equal(await store.version(), v1);
      const result = await store.importRouters([{ ...basic, enabled: false }, bearer]);
      assert.equal(result.created.length, 1);
      assert.equal(result.updated.length, 1);
      assert.ok((await store.version()) > v1);
      assert.equal((await store.list()).length, 2);
    } finally {
      await store.close();
    }
  });

  it('serves enabled routers compiled for delivery, with their version', async () => {
    const store = await openStore(await fresh());
    try {
      await store.create(basic);
      await store.create(bearer);
      await store.create({ ...bearer, routeUrl: 'https://off/', enabled: false });
      const snapshot = await store.activeRouters('caliper');
      assert.equal(snapshot.version, await store.version());
      assert.equal(snapshot.routers.length, 1);
      const [router] = snapshot.routers;
      assert.ok(router);
      assert.equal(router.matches({ name: 'stop_video' }), true);
      assert.equal(router.headers['Authorization'], `Bearer ${SECRETS.token}`);
      assert.equal((await store.activeRouters()).routers.length, 2);
    } finally {
      await store.close();
    }
  });

  it('notifies watchers of changes made by another instance (polling)', async () => {
    const db = await fresh();
    const store = await openStore(db);
    const other = await openStore(db);
    try {
      const seen: number[] = [];
      const watch = store.watch((v) => seen.push(v), { intervalMs: 50 });
      await new Promise((r) => setTimeout(r, 80));
      await store.create(basic);
      assert.equal(seen.length, 1, 'local change: immediate');
      await other.create(bearer);
      const deadline = Date.now() + 2000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(seen.length, 2, 'change from another instance: within the poll interval');
      watch.close();
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('keeps no secret in clear text in the database', async () => {
    const db = await fresh();
    const store = await openStore(db);
    try {
      await store.create(basic);
      await store.create(bearer);
      const { rows } = await db.sql('SELECT * FROM routers');
      const text = JSON.stringify(rows);
      for (const secret of [...Object.values(SECRETS), 'lrs-user']) assert.equal(text.includes(secret), false, secret);
    } finally {
      await store.close();
    }
  });

  it('migrates once when several instances start together, and refuses another key', async () => {
    const db = await fresh();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(db)));
    await Promise.all(stores.map((s) => s.close()));
    const { rows } = await db.sql('SELECT name FROM control_plane_migration ORDER BY name');
    assert.deepEqual(
      rows.map((r) => r.name),
      ['0001_routers', '0002_identities', '0003_identities_user_id_64_bit', '0004_replay_checkpoints'],
    );
    await assert.rejects(openStore(db, 'cd'.repeat(32)), (error: Error) => {
      assert.ok(error instanceof StorageError);
      assert.match(error.message, /EVENT_ROUTER_SECRET_KEY/);
      return true;
    });
    await (await openStore(db)).close();
  });
});
