import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, lrsAccepts, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
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

/**
 * Issue 19, item 12: an LRS asked for ten minutes (429, Retry-After: 600), then came back. Its
 * statements wait out that time unless an operator says "retry now" — through the admin API while
 * `serve` runs, or with `routers retry` on the data directory — after which they are delivered
 * within seconds.
 */
const dir = scratch('retry-now');
const dataDir = join(dir.path, 'data');
const settings = baseSettings(dataDir);
const ctx = serviceContext();
const WAIT = { status: 429, headers: { 'retry-after': '600' }, body: { error: 'slow down' } };
let limited = true;
let lrs: FakeLrs;
let service: RunningService;
let routerId: string;

const idsOf = (events: Record<string, unknown>[]): string[] => events.flatMap((e) => transformed('xapi', e, ctx)).map(idOf);
const state = (name: string): Promise<number> => metric(service.url, 'edx_event_router_destination_state', { destination: routerId, state: name });
const retrying = (): Promise<number> => metric(service.url, 'edx_event_router_queue_retrying', { destination: routerId });
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  lrs = await startFakeLrs((request, index) => (limited ? WAIT : lrsAccepts(request, index)));
  service = await startService(dir.path, settings);
  routerId = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('retry now', () => {
  it('POST /api/routers/:id/retry delivers what waits for a Retry-After at once; health says rate_limited meanwhile', { timeout: 60_000 }, async () => {
    const events = buildEvents(40);
    const ids = idsOf(events);
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => (await state('rate_limited')) === 1 && (await retrying()) > 0,
      20_000,
      () => 'the router to wait for the Retry-After',
    );
    assert.equal(await state('circuit_open'), 0, 'an LRS that asks for time is not a failing one');
    assert.equal(await state('healthy'), 0);

    limited = false;
    await pause(2000);
    assert.equal(lrs.acceptedIds().length, 0, 'the statements wait out the Retry-After by themselves');

    assert.equal((await call(service.url, 'POST', '/api/routers/nonexistent/retry')).status, 404);
    assert.equal((await call(service.url, 'POST', `/api/routers/${routerId}/retry`, undefined, { token: null })).status, 401);
    const asked = Date.now();
    const answer = await call(service.url, 'POST', `/api/routers/${routerId}/retry`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.routerId, routerId);
    assert.ok(answer.json.madeDue > 0, answer.text);
    await lrs.waitFor(() => ids.every((id) => lrs.acceptedIds().includes(id)), 10_000, 'every statement after retry now');
    assert.ok(Date.now() - asked < 10_000);
    await eventually(
      async () => (await state('healthy')) === 1,
      10_000,
      () => 'the router to be healthy again',
    );
    assert.equal(await state('rate_limited'), 0);
  });

  it('`routers retry <id-prefix>` makes the waiting statements due in the outbox, so the next start sends them at once', { timeout: 90_000 }, async () => {
    limited = true;
    const events = buildEvents(20, 1000);
    const ids = idsOf(events);
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => (await retrying()) > 0,
      20_000,
      () => 'statements waiting for the Retry-After',
    );
    const waiting = await retrying();
    assert.equal((await service.stop('SIGTERM')).code, 0);
    limited = false;

    const cli = await runCli(['routers', 'retry', routerId.slice(0, 6), '--data-dir', dataDir]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`^${waiting} waiting statements? (is|are) due now for router ${routerId} \\(xapi → `));
    const unknown = await runCli(['routers', 'retry', 'nonexistent', '--data-dir', dataDir]);
    assert.notEqual(unknown.code, 0);

    service = await startService(dir.path, settings);
    await lrs.waitFor(() => ids.every((id) => lrs.acceptedIds().includes(id)), 15_000, 'every statement after routers retry');
    assert.equal((await service.stop('SIGTERM')).code, 0);
  });
});
