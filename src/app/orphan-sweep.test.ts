import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DiscardedItems } from '../queue/port.js';
import { createSqliteQueue } from '../queue/sqlite/sqlite-queue.js';
import { openControlPlaneDatabase } from '../storage/database.js';
import { createSqlRouterStore } from '../storage/sql-router-store.js';
import { startOrphanSweep } from './orphan-sweep.js';
import { JsonPayload } from '../queue/json-payload.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'edx-router-sweep-'));
  dirs.push(dir);
  const routers = createSqlRouterStore(await openControlPlaneDatabase({ dataDir: dir }));
  const queue = await createSqliteQueue({ path: join(dir, 'outbox.sqlite'), synchronous: 'normal' });
  const create = async (url: string): Promise<string> => {
    const saved = await routers.create({ backend: 'xapi', routeUrl: url, auth: { scheme: 'none' }, enabled: true, configurations: null });
    assert.ok(saved.ok);
    return saved.router.id;
  };
  const enqueue = async (routerId: string, n: number): Promise<void> => {
    const items = Array.from({ length: n }, (_, i) => ({ routerId, eventId: `${routerId}-${i}`, payload: JsonPayload.of({ id: `${routerId}-${i}` }) }));
    assert.ok((await queue.enqueue(items)).ok);
  };
  const depthOf = async (routerId: string): Promise<number | undefined> => (await queue.stats()).routers.find((r) => r.routerId === routerId)?.depth;
  const errors: unknown[] = [];
  const close = async (): Promise<void> => {
    await queue.close();
    await routers.close();
    assert.deepEqual(errors, [], 'no sweep failed');
  };
  return { routers, queue, create, enqueue, depthOf, errors, close };
}

describe('orphan sweep', () => {
  it('discards only the items of routers the store no longer has, and reports them', async () => {
    const s = await setUp();
    const reported: Array<[string, DiscardedItems]> = [];
    const kept = await s.create('https://kept.example/');
    await s.enqueue(kept, 2);
    await s.enqueue('deleted-router', 3);
    const [leased] = await s.queue.lease('deleted-router', 1, 60_000);
    assert.ok(leased);
    await s.queue.deadLetter(leased.id, 'lrs_rejected');
    const sweep = startOrphanSweep({
      queue: s.queue,
      routers: s.routers,
      onDiscarded: (id, d) => reported.push([id, d]),
      onError: (error) => s.errors.push(error),
      intervalMs: 3_600_000,
    });
    try {
      const swept = await sweep.sweep();
      assert.deepEqual([...swept], [['deleted-router', { queued: 2, deadLetters: 1 }]]);
      assert.deepEqual(reported, [['deleted-router', { queued: 2, deadLetters: 1 }]]);
      assert.equal(await s.depthOf(kept), 2);
      assert.equal(await s.depthOf('deleted-router'), undefined);
      assert.deepEqual([...(await sweep.sweep())], [], 'nothing left to sweep');
    } finally {
      sweep.stop();
      await s.close();
    }
  });

  it('sweeps by itself shortly after a router is removed from the store', async () => {
    const s = await setUp();
    const reported: string[] = [];
    const gone = await s.create('https://gone.example/');
    await s.enqueue(gone, 4);
    const sweep = startOrphanSweep({
      queue: s.queue,
      routers: s.routers,
      onDiscarded: (id) => reported.push(id),
      onError: (error) => s.errors.push(error),
      afterChangeMs: 50,
      intervalMs: 3_600_000,
    });
    try {
      await sweep.sweep();
      assert.equal(await s.depthOf(gone), 4, 'kept while its router exists');
      // Removed from the store alone (as a stale process would leave it): the change triggers a sweep.
      assert.equal(await s.routers.remove(gone), true);
      const deadline = Date.now() + 20_000;
      while ((await s.depthOf(gone)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.equal(await s.depthOf(gone), undefined);
      assert.deepEqual(reported, [gone]);
    } finally {
      sweep.stop();
      await s.close();
    }
  });
});
