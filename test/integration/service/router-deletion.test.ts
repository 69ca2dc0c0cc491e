import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { createTestDatabase, skipOrFail, testServer } from '../postgres/test-database.js';
import { openDeliveryQueue } from '../../../src/queue/open-delivery-queue.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import {
  addRouter,
  baseSettings,
  call,
  eventually,
  metric,
  postEvents,
  runCli,
  scratch,
  startService,
  waitForRouters,
  type RunningService,
} from './support.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

/**
 * Deleting a router (docs/routers.md, "Deleting a router"): refused while it has queued
 * statements or dead letters unless forced, through the admin API and the CLI alike; forced,
 * they go with it and the queued ones are counted as dropped (`router_deleted`). Leftovers of a
 * router that no longer exists are swept when the service starts. On both outbox stores.
 */
const dir = scratch('router-deletion');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

const ctx = serviceContext();
const statementCount = (events: Record<string, unknown>[]): number => events.flatMap((e) => transformed('xapi', e, ctx)).length;

interface QueueEntry {
  routerId: string;
  depth: number;
  deadLetters: number;
}

async function queueOf(base: string, routerId: string): Promise<QueueEntry | undefined> {
  const answer = await call(base, 'GET', '/api/queue');
  return (answer.json.routers as QueueEntry[]).find((r) => r.routerId === routerId);
}

async function scenario(name: string, extraSettings: Record<string, unknown>, databaseUrl: string | undefined): Promise<void> {
  const root = join(dir.path, name);
  const dataDir = join(root, 'data');
  const settings = { ...baseSettings(dataDir), ...extraSettings };
  const config = join(root, 'settings.json');
  const lrs: FakeLrs = await startFakeLrs(() => ({ status: 400, body: { error: 'statement refused by this LRS' } }));
  try {
    mkdirSync(root, { recursive: true });
    let service = await startService(root, settings);
    running.push(service);

    // Router A: some dead letters (the LRS refuses), then queued statements (the LRS is unavailable).
    const a = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}a/` });
    await waitForRouters(service.url, 1);
    // A router has its state and queue series from the start, before anything is queued.
    const metricsText = async (): Promise<string> => (await call(service.url, 'GET', '/metrics', undefined, { token: null })).text;
    const fresh = await metricsText();
    assert.match(fresh, new RegExp(`^edx_event_router_destination_state\\{destination="${a}",state="healthy"\\} 1$`, 'm'));
    assert.match(fresh, new RegExp(`^edx_event_router_destination_state\\{destination="${a}",state="stopped"\\} 0$`, 'm'));
    for (const gauge of ['queue_depth', 'queue_retrying', 'dead_letters']) {
      assert.match(fresh, new RegExp(`^edx_event_router_${gauge}\\{destination="${a}"\\} 0$`, 'm'), gauge);
    }
    const refused = buildEvents(3, 0);
    const dead = statementCount(refused);
    await postEvents(
      service.url,
      refused.map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => (await queueOf(service.url, a))?.deadLetters === dead,
      60_000,
      () => `${dead} dead letters`,
    );
    lrs.respondWith(() => ({ status: 503, body: { error: 'down for maintenance' } }));
    const waiting = buildEvents(12, 100);
    const queued = statementCount(waiting);
    await postEvents(
      service.url,
      waiting.map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => (await queueOf(service.url, a))?.depth === queued,
      60_000,
      () => `${queued} queued statements`,
    );

    // Not forced: refused everywhere, nothing changes.
    const refusedApi = await call(service.url, 'DELETE', `/api/routers/${a}`);
    assert.equal(refusedApi.status, 409, refusedApi.text);
    assert.equal(refusedApi.json.error, 'router_not_empty');
    assert.deepEqual([refusedApi.json.queued, refusedApi.json.deadLetters], [queued, dead]);
    assert.match(refusedApi.json.message, /force=true/);
    const refusedCli = await runCli(['routers', 'remove', a, '--config', config]);
    assert.equal(refusedCli.code, 1, refusedCli.stderr);
    assert.match(refusedCli.stderr, new RegExp(`still has ${queued} queued statements and ${dead} dead letters; nothing removed`));
    assert.equal((await call(service.url, 'GET', `/api/routers/${a}`)).status, 200);
    assert.deepEqual(await queueOf(service.url, a).then((q) => [q?.depth, q?.deadLetters]), [queued, dead]);

    // Forced through the API: the router, its queued statements and its dead letters go, counted.
    const removed = await call(service.url, 'DELETE', `/api/routers/${a}?force=true`);
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.json.discarded, { queued, deadLetters: dead });
    assert.equal(await queueOf(service.url, a), undefined);
    assert.equal((await call(service.url, 'GET', `/api/dead-letters?routerId=${a}`)).json.deadLetters.length, 0);
    assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { reason: 'router_deleted', destination: a }), queued);
    assert.equal((await call(service.url, 'GET', `/api/routers/${a}`)).status, 404);

    // Router B, forced through the CLI while the service runs.
    const b = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}b/` });
    await waitForRouters(service.url, 1);
    const more = buildEvents(6, 300);
    const queuedB = statementCount(more);
    await postEvents(
      service.url,
      more.map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => (await queueOf(service.url, b))?.depth === queuedB,
      60_000,
      () => `${queuedB} queued statements for B`,
    );
    const forced = await runCli(['routers', 'remove', b.slice(0, 8), '--force', '--config', config]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`discarded ${queuedB} queued statements and 0 dead letters \\(reason router_deleted\\)`));
    assert.equal(await queueOf(service.url, b), undefined);
    await waitForRouters(service.url, 0);
    // Removed routers' series go with them, once delivery has dropped the routers (its next refresh).
    const perRouter = /^edx_event_router_(destination_state|queue_depth|queue_retrying|dead_letters)\{destination=.*$/m;
    let left = '';
    await eventually(
      async () => (left = perRouter.exec(await metricsText())?.[0] ?? '') === '',
      15_000,
      () => `the removed routers' series to go (still ${left})`,
    );
    assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());

    // Leftovers of a router deleted before (or by a process that did not discard them): swept at start.
    const outbox = await openDeliveryQueue({ databaseUrl, sqlitePath: join(dataDir, 'outbox.sqlite'), recoverLeasesOnOpen: false, poolSize: 1 });
    const orphan = 'router-deleted-long-ago';
    try {
      const items = [1, 2, 3].map((n) => ({ routerId: orphan, eventId: `orphan-${n}`, payload: JsonPayload.of({ id: `orphan-${n}` }) }));
      assert.ok((await outbox.enqueue(items)).ok);
      const [first] = await outbox.lease(orphan, 1, 60_000);
      assert.ok(first);
      await outbox.deadLetter(first.id, 'lrs_rejected');
    } finally {
      await outbox.close();
    }
    service = await startService(root, settings);
    running.push(service);
    await eventually(
      async () => (await queueOf(service.url, orphan)) === undefined,
      30_000,
      () => 'the leftovers of the deleted router to be swept',
    );
    assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { reason: 'router_deleted', destination: orphan }), 2);
    assert.equal((await call(service.url, 'GET', '/api/dead-letters')).json.deadLetters.length, 0);
    assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
  } finally {
    await lrs.close();
  }
}

describe('deleting a router', () => {
  it('on SQLite (the embedded default)', { timeout: 180_000 }, async () => {
    await scenario('sqlite', {}, undefined);
  });

  it('on PostgreSQL (DATABASE_URL)', { timeout: 180_000 }, async (t) => {
    const server = await testServer();
    if (!server.ok) return skipOrFail(t, server.reason);
    const db = await (await createTestDatabase(server.adminUrl)).schema();
    await scenario('postgres', { DATABASE_URL: db.url, EVENT_ROUTER_SECRET_KEY: 'cd'.repeat(32) }, db.url);
  });
});
