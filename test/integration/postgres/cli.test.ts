import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStores } from '../../../src/app/open-stores.js';
import { cleanEnv, runCli, tempDir } from '../control-plane/support.js';
import { createTestDatabase, skipOrFail, testServer } from './test-database.js';

/** The `routers` and `identities` commands (real CLI, child processes) on DATABASE_URL. */
const KEY = 'ab'.repeat(32);
const dir = tempDir('edx-router-pg-cli-');
after(() => dir.remove());
const server = await testServer();

describe('CLI on PostgreSQL (DATABASE_URL)', () => {
  if (!server.ok) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.reason));
    return;
  }

  it('routers and identities commands use the database, not the data directory', async () => {
    const db = await (await createTestDatabase(server.adminUrl)).schema();
    const env = cleanEnv({ DATABASE_URL: db.url, EVENT_ROUTER_SECRET_KEY: KEY, EVENT_ROUTER_DATA_DIR: dir.path });
    const added = await runCli(['routers', 'add', '--backend', 'xapi', '--url', 'https://lrs.example.com/xAPI/'], { env });
    assert.equal(added.code, 0, added.stderr);
    const file = join(dir.path, 'ids.csv');
    writeFileSync(file, 'user_id,username,kind,anonymous_id\n7,bob,xapi,32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb\n');
    const imported = await runCli(['identities', 'import', file], { env });
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(readdirSync(dir.path), ['ids.csv'], 'nothing but the input file in the data directory');

    // What a serve instance on the same database sees.
    const stores = await openStores({ DATABASE_URL: db.url, EVENT_ROUTER_DATA_DIR: dir.path, EVENT_ROUTER_SECRET_KEY: KEY });
    try {
      assert.deepEqual(
        (await stores.routers.list()).map((r) => r.routeUrl),
        ['https://lrs.example.com/xAPI/'],
      );
      const kept: unknown[] = [];
      for await (const row of stores.identities.list()) kept.push(row);
      assert.deepEqual(kept, [{ userId: 7, username: 'bob', kind: 'xapi', anonymousId: '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb' }]);
    } finally {
      await stores.close();
    }
    const exported = await runCli(['identities', 'export', '--format', 'ndjson'], { env });
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /"anonymous_id":"32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb"/);
  });
});
