import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { idOf, lrsAccepts, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { seededRandom } from '../delivery/scenario.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, eventually, metric, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Acceptance (issue #5): the LRS is down for a while, then back — every statement delivered; an
 * LRS answering 503 to 30 % of requests — every statement delivered. One service, two routers,
 * one per fake LRS, the same events to both.
 */
const COUNT = 3000;
const dir = scratch('faults');
let outage: FakeLrs;
let flaky: FakeLrs;
let service: RunningService;
const events = buildEvents(COUNT);
const ctx = serviceContext();
const expected = new Map(events.flatMap((e) => transformed('xapi', e, ctx)).map((s) => [idOf(s), s]));

before(async () => {
  outage = await startFakeLrs();
  const random = seededRandom(42);
  flaky = await startFakeLrs((request, index) => (random() < 0.3 ? { status: 503, body: 'busy' } : lrsAccepts(request, index)));
  service = await startService(dir.path, baseSettings(join(dir.path, 'data')));
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${outage.url}xapi/` });
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${flaky.url}xapi/` });
  await waitForRouters(service.url, 2);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await outage.close();
  await flaky.close();
  dir.remove();
});

function assertExactlyExpected(lrs: FakeLrs): void {
  const got = new Map(lrs.accepted().map((s) => [idOf(s), s]));
  assert.equal(got.size, expected.size);
  for (const statement of lrs.accepted()) {
    assert.ok(isDeepStrictEqual(statement, expected.get(idOf(statement))), `statement ${idOf(statement)} changed or unexpected`);
  }
}

describe('delivery faults against a real serve process', () => {
  it('LRS down for a while, then back: every statement is delivered; 30 % 503s: every statement is delivered', { timeout: 180_000 }, async () => {
    await outage.down();
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
    );
    // While it is down: retries are counted and nothing reaches it.
    await eventually(
      async () => (await metric(service.url, 'edx_event_router_delivery_retries_total')) > 0,
      30_000,
      () => 'retries',
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(outage.accepted().length, 0);
    await outage.up();

    const delivered = (lrs: FakeLrs): number => new Set(lrs.acceptedIds()).size;
    await eventually(
      () => delivered(outage) >= expected.size && delivered(flaky) >= expected.size,
      150_000,
      () => `outage LRS ${delivered(outage)}/${expected.size}, flaky LRS ${delivered(flaky)}/${expected.size}`,
    );
    assertExactlyExpected(outage);
    assertExactlyExpected(flaky);
    assert.ok(
      flaky.requests.some((r) => r.status === 503),
      'the flaky LRS did refuse requests',
    );
    const dead = await metric(service.url, 'edx_event_router_events_dropped_total');
    assert.equal(dead, 0, 'nothing was dead-lettered');
  });

  it('drains and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const { code } = await service.stop('SIGTERM');
    assert.equal(code, 0, service.stderr());
  });
});
