import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseUserKey } from '../identity/user-key.js';
import { openStores } from './open-stores.js';
import { JsonPayload } from '../queue/json-payload.js';

const dir = mkdtempSync(join(tmpdir(), 'edx-open-stores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openStores without DATABASE_URL (the embedded default)', () => {
  it('opens the SQLite files of the data directory: routers, identities, outbox', async () => {
    const stores = await openStores(
      { DATABASE_URL: undefined, EVENT_ROUTER_DATA_DIR: dir, EVENT_ROUTER_SECRET_KEY: undefined },
      { queue: { maxDepth: 10, synchronous: 'normal' } },
    );
    try {
      assert.equal(stores.dialect, 'sqlite');
      assert.equal(stores.keyCreated, true);
      assert.ok(existsSync(join(dir, 'edx-event-router.db')));
      assert.ok(existsSync(join(dir, 'outbox.sqlite')));
      assert.deepEqual(await stores.routers.list(), []);
      const minted = await stores.identities.mint({ userId: 42 }, 'xapi', '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb');
      const found = await stores.identities.find([parseUserKey('42')]);
      assert.equal(found.get('42')?.[0]?.anonymousId, minted, 'the identities table of the data directory');
      assert.equal((await stores.queue.enqueue([{ routerId: 'r', eventId: 'e', payload: JsonPayload.of({}) }])).ok, true);
      const overflow = await stores.queue.enqueue(Array.from({ length: 10 }, (_, i) => ({ routerId: 'r', eventId: `${i}`, payload: JsonPayload.of({}) })));
      assert.equal(overflow.ok, false, 'the queue limits are passed on');
    } finally {
      await stores.close();
      await stores.close();
    }
  });
});
