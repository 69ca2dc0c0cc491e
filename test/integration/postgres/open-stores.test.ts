import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseUserKey } from '../../../src/identity/user-key.js';
import { openStores, type StoreSettings } from '../../../src/app/open-stores.js';
import { createTestDatabase, skipOrFail, testServer } from './test-database.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

const KEY = 'ab'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'edx-open-stores-pg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const server = await testServer();
const database = server.ok ? await createTestDatabase(server.adminUrl) : undefined;

describe('openStores with DATABASE_URL=postgres://…', () => {
  if (database === undefined) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.ok ? 'no database' : server.reason));
    return;
  }

  it('keeps routers, identities and the outbox in PostgreSQL, shared by two instances', async () => {
    const db = await database.schema();
    const settings: StoreSettings = { DATABASE_URL: db.url, EVENT_ROUTER_DATA_DIR: dir, EVENT_ROUTER_SECRET_KEY: KEY };
    const [one, two] = await Promise.all([openStores(settings, { queue: { maxDepth: 100 } }), openStores(settings)]);
    try {
      assert.equal(one.dialect, 'postgres');
      assert.match(one.location, /^postgres:\/\//);
      const created = await one.routers.create({
        backend: 'xapi',
        routeUrl: 'https://lrs.example.com/xAPI/',
        auth: { scheme: 'none' },
        enabled: true,
        configurations: null,
      });
      assert.ok(created.ok);
      assert.equal((await two.routers.list()).length, 1, 'the other instance sees the router');
      const kept = await one.identities.mint({ userId: 7 }, 'xapi', '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb');
      assert.equal((await two.identities.find([parseUserKey('7')])).get('7')?.[0]?.anonymousId, kept);
      assert.ok((await one.queue.enqueue([{ routerId: created.router.id, eventId: 'e1', payload: JsonPayload.of({ id: 'e1' }) }])).ok);
      const [leased] = await two.queue.lease(created.router.id, 10, 60_000);
      assert.equal(leased?.eventId, 'e1', 'enqueued on one instance, delivered by the other');
      await two.queue.ack([leased?.id ?? '']);
      assert.deepEqual(readdirSync(dir), [], 'nothing written to the data directory (the key is set)');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('runs as a user that may only read and write the tables once they exist', async () => {
    const db = await database.schema();
    const schema = db.name.split('.')[1] as string;
    const settings: StoreSettings = { DATABASE_URL: db.url, EVENT_ROUTER_DATA_DIR: dir, EVENT_ROUTER_SECRET_KEY: KEY };
    await (await openStores(settings)).close(); // the first start, as the owner, creates the tables
    const role = `edx_router_rt_${schema.slice(2)}`;
    await db.sql(`CREATE ROLE ${role} LOGIN`);
    try {
      await db.sql(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await db.sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
      await db.sql(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
      const url = new URL(db.url);
      url.username = role;
      const stores = await openStores({ ...settings, DATABASE_URL: url.toString() });
      try {
        assert.ok((await stores.queue.enqueue([{ routerId: 'r', eventId: 'e', payload: JsonPayload.of({}) }])).ok);
        const leased = await stores.queue.lease('r', 1, 1000);
        await stores.queue.ack(leased.map((item) => item.id));
        assert.equal((await stores.queue.stats()).depth, 0);
      } finally {
        await stores.close();
      }
    } finally {
      await db.sql(`DROP OWNED BY ${role}`);
      await db.sql(`DROP ROLE ${role}`);
    }
  });

  it('names the setting to share when instances disagree on the encryption key', async () => {
    const db = await database.schema();
    const settings: StoreSettings = { DATABASE_URL: db.url, EVENT_ROUTER_DATA_DIR: dir, EVENT_ROUTER_SECRET_KEY: KEY };
    await (await openStores(settings)).close();
    await assert.rejects(openStores({ ...settings, EVENT_ROUTER_SECRET_KEY: 'cd'.repeat(32) }), /same key on every instance/);
  });
});
