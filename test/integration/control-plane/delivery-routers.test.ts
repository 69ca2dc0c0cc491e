import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createDeliveryRouterSource } from '../../../src/delivery/delivery-routers.js';
import { loadSettings } from '../../../src/config/load.js';
import { openControlPlaneDatabase } from '../../../src/storage/database.js';
import { createSqlRouterStore } from '../../../src/storage/sql-router-store.js';
import { CALIPER_SAMPLE, tempDir } from './support.js';

const dir = tempDir();
after(() => dir.remove());

describe('the router store as delivery’s router source', () => {
  it('maps every router, enabled or not, with batching from the settings', async () => {
    const loaded = loadSettings({ env: { EVENT_ROUTING_BACKEND_BATCHING_ENABLED: 'true', EVENT_ROUTING_BACKEND_BATCH_INTERVAL: '2.5' } });
    assert.ok(loaded.ok);
    const store = createSqlRouterStore(await openControlPlaneDatabase({ dataDir: dir.path }));
    try {
      await store.create({
        backend: 'caliper',
        routeUrl: 'https://c/',
        auth: { scheme: 'bearer', token: 't' },
        enabled: false,
        configurations: CALIPER_SAMPLE,
      });
      const [router] = await createDeliveryRouterSource(store, loaded.settings).list();
      assert.ok(router);
      assert.equal(router.enabled, false);
      assert.deepEqual(router.auth, { scheme: 'bearer', token: 't' });
      assert.deepEqual(router.headers, { test: 'header' });
      assert.deepEqual(router.overrideArgs, { sensor_id: 'sensor@example.com' });
      assert.deepEqual(router.batching, { enabled: true, size: 100, intervalMs: 2500 });
    } finally {
      await store.close();
    }
  });
});
