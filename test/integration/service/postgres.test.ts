import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { idOf, startFakeLrs } from '../../fakes/fake-lrs.js';
import { createTestDatabase, skipOrFail, testServer } from '../postgres/test-database.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, eventually, postEvents, runCli, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * `serve` with DATABASE_URL: routers, outbox and identities in PostgreSQL (the inbox stays in the
 * data directory). Needs a PostgreSQL server (see test/integration/postgres/test-database.ts).
 */
const dir = scratch('pg');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});
const server = await testServer();

describe('serve on PostgreSQL (DATABASE_URL)', () => {
  if (!server.ok) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.reason));
    return;
  }

  it('takes events, routes them through the PostgreSQL outbox and delivers them', { timeout: 120_000 }, async () => {
    const db = await (await createTestDatabase(server.adminUrl)).schema();
    const lrs = await startFakeLrs();
    try {
      const dataDir = join(dir.path, 'data');
      const service = await startService(dir.path, { ...baseSettings(dataDir), DATABASE_URL: db.url, EVENT_ROUTER_SECRET_KEY: 'ab'.repeat(32) });
      running.push(service);
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(service.url, 1);
      const events = buildEvents(500);
      await postEvents(
        service.url,
        events.map((e) => JSON.stringify(e)),
      );
      const ctx = serviceContext();
      const expected = new Set(events.flatMap((e) => transformed('xapi', e, ctx)).map(idOf));
      await eventually(
        () => [...expected].every((id) => lrs.acceptedIds().includes(id)),
        90_000,
        () => `${expected.size} statements`,
      );
      assert.deepEqual(new Set(lrs.acceptedIds()), expected);
      const outbox = await db.sql('SELECT count(*)::int AS n FROM outbox');
      assert.equal(outbox.rows[0].n, 0, 'the PostgreSQL outbox is empty once everything is delivered');
      const list = await runCli(['dead-letters', 'list', '--data-dir', dataDir, '--config', join(dir.path, 'settings.json')]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stderr, /0 dead letters in total/);
      assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
    } finally {
      await lrs.close();
    }
  });
});
