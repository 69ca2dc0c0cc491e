import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RouterSpec } from '../routers/types.js';
import { openControlPlaneDatabase, StorageError } from './database.js';
import type { RouterStore } from './router-store.js';
import { createSqlRouterStore } from './sql-router-store.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edx-router-store-'));
  dirs.push(dir);
  return dir;
}

async function openStore(dataDir: string, secretKey?: string): Promise<RouterStore> {
  return createSqlRouterStore(await openControlPlaneDatabase({ dataDir, secretKey }));
}

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

describe('SQL router store (SQLite)', () => {
  it('creates, reads, updates and removes routers; route URLs are unique', async () => {
    const store = await openStore(tempDir());
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

  it('bumps the version on every change, and only then', async () => {
    const store = await openStore(tempDir());
    try {
      const v0 = await store.version();
      const created = await store.create(basic);
      assert.ok(created.ok);
      const v1 = await store.version();
      assert.ok(v1 > v0);
      await store.create(basic); // conflict: nothing changes
      assert.equal(await store.version(), v1);
      await store.remove('nope');
      assert.equal(await store.version(), v1);
      await store.importRouters([bearer, { ...basic, enabled: false }]);
      assert.ok((await store.version()) > v1);
    } finally {
      await store.close();
    }
  });

  it('imports by route URL: creates new ones, updates existing ones', async () => {
    const store = await openStore(tempDir());
    try {
      await store.create(basic);
      const result = await store.importRouters([{ ...basic, enabled: false }, bearer]);
      assert.equal(result.created.length, 1);
      assert.equal(result.updated.length, 1);
      assert.equal((await store.list()).length, 2);
    } finally {
      await store.close();
    }
  });

  it('serves enabled routers compiled for delivery, with their version', async () => {
    const store = await openStore(tempDir());
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
      assert.equal(router.matches({ name: 'showanswer' }), false);
      assert.deepEqual(router.overrideArgs, { sensor: 's' });
      assert.equal(router.headers['Authorization'], `Bearer ${SECRETS.token}`);
      assert.ok(!JSON.stringify(router).includes(SECRETS.token), 'JSON of a router carries no credentials');
      assert.equal((await store.activeRouters()).routers.length, 2);
    } finally {
      await store.close();
    }
  });

  it('notifies watchers: at once for its own changes, by polling for other connections', async () => {
    const dataDir = tempDir();
    const store = await openStore(dataDir);
    const other = await openStore(dataDir);
    try {
      const seen: number[] = [];
      const watch = store.watch((v) => seen.push(v), { intervalMs: 50 });
      await new Promise((r) => setTimeout(r, 80));
      await store.create(basic);
      assert.equal(seen.length, 1, 'local change: immediate');
      await other.create(bearer);
      const deadline = Date.now() + 2000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(seen.length, 2, 'change from another connection: within the poll interval');
      assert.ok((seen[1] ?? 0) > (seen[0] ?? 0));
      watch.close();
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('keeps no secret in clear text in the database files, and the key file is 0600', async () => {
    const dataDir = tempDir();
    const store = await openStore(dataDir);
    try {
      await store.create(basic);
      await store.create(bearer);
      const files = readdirSync(dataDir);
      assert.ok(files.includes('secret.key'));
      assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
      for (const name of files.filter((f) => f.startsWith('edx-event-router.db'))) {
        const bytes = readFileSync(join(dataDir, name));
        for (const secret of [...Object.values(SECRETS), 'lrs-user']) {
          assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in clear text in ${name}`);
        }
      }
    } finally {
      await store.close();
    }
  });

  it('refuses to open with another encryption key', async () => {
    const dataDir = tempDir();
    const key = 'ab'.repeat(32);
    await (await openStore(dataDir, key)).close();
    await assert.rejects(openStore(dataDir, 'cd'.repeat(32)), StorageError);
    const store = await openStore(dataDir, key);
    await store.close();
  });
});
