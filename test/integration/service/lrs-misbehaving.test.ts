import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { idOf, lrsAccepts, startFakeLrs, type FakeLrs, type Responder } from '../../fakes/fake-lrs.js';
import { repoRoot } from '../../support/paths.js';
import { seededRandom } from '../delivery/scenario.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, call, eventually, metric, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Issue #15: delivery keeps flowing when an LRS misbehaves. `serve` runs as a child process on its
 * delivery defaults (batching, retries, concurrency); the fake LRSs follow Ralph's id rules.
 * Speeds and recovery times are measured by `npm run bench -- faults`, not asserted here.
 */

/** baseSettings without the delivery settings it speeds up: delivery as shipped. */
function shippedDelivery(dataDir: string): Record<string, unknown> {
  const settings = baseSettings(dataDir);
  for (const key of [
    'EVENT_ROUTING_BACKEND_BATCHING_ENABLED',
    'EVENT_ROUTING_BACKEND_BATCH_SIZE',
    'EVENT_ROUTING_BACKEND_BATCH_INTERVAL',
    'EVENT_ROUTING_BACKEND_COUNTDOWN',
  ]) {
    delete settings[key];
  }
  return settings;
}

const ctx = serviceContext();
const expectedOf = (events: Record<string, unknown>[]): Map<string, Record<string, unknown>> =>
  new Map(events.flatMap((e) => transformed('xapi', e, ctx)).map((s) => [idOf(s), s]));
const distinct = (lrs: FakeLrs): number => new Set(lrs.acceptedIds()).size;

function assertExactly(lrs: FakeLrs, expected: Map<string, Record<string, unknown>>): void {
  assert.deepEqual(new Set(lrs.acceptedIds()), new Set(expected.keys()));
  for (const statement of lrs.accepted()) {
    assert.ok(isDeepStrictEqual(statement, expected.get(idOf(statement))), `statement ${idOf(statement)} changed between deliveries`);
  }
}

const services: RunningService[] = [];
const lrss: FakeLrs[] = [];
const dirs: { remove(): void }[] = [];
after(async () => {
  for (const service of services) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  for (const lrs of lrss) await lrs.close();
  for (const dir of dirs) dir.remove();
});

async function fake(responder?: Responder): Promise<FakeLrs> {
  const lrs = await startFakeLrs(responder);
  lrss.push(lrs);
  return lrs;
}

async function serve(prefix: string): Promise<{ service: RunningService; settings: Record<string, unknown>; dir: string }> {
  const dir = scratch(prefix);
  dirs.push(dir);
  const settings = shippedDelivery(join(dir.path, 'data'));
  const service = await startService(dir.path, settings);
  services.push(service);
  return { service, settings, dir: dir.path };
}

describe('delivery to a misbehaving LRS, serve on its defaults', () => {
  it(
    '30 % of 503s, 30 % of 429 with Retry-After: 1, and an LRS refusing connections: everything delivered, no dead letter, waits honoured, about one request a second while down',
    { timeout: 300_000 },
    async () => {
      const events = buildEvents(2000);
      const expected = expectedOf(events);
      const random503 = seededRandom(15);
      const flaky = await fake((request, index) => (random503() < 0.3 ? { status: 503, body: 'busy' } : lrsAccepts(request, index)));
      const random429 = seededRandom(429);
      const answered429: number[] = [];
      const arrivals: number[] = [];
      const limited = await fake((request, index) => {
        arrivals.push(Date.now());
        if (random429() >= 0.3) return lrsAccepts(request, index);
        answered429.push(Date.now());
        return { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' };
      });
      const outage = await fake();
      await outage.down();

      const { service } = await serve('misbehaving');
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${flaky.url}xapi/` });
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${limited.url}xapi/` });
      const outageId = await addRouter(service.url, { backend: 'xapi', routeUrl: `${outage.url}xapi/` });
      await waitForRouters(service.url, 3);
      await postEvents(
        service.url,
        events.map((e) => JSON.stringify(e)),
      );

      // The circuit of the router whose LRS is down opens; then about one probe a second, whatever the backlog.
      const requests = (): Promise<number> => metric(service.url, 'edx_event_router_delivery_requests_total', { destination: outageId });
      await eventually(
        async () => (await metric(service.url, 'edx_event_router_destination_state', { destination: outageId, state: 'circuit_open' })) === 1,
        60_000,
        () => 'the router of the LRS that is down to back off',
      );
      const before = await requests();
      const windowStart = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const sent = (await requests()) - before;
      const seconds = (Date.now() - windowStart) / 1000;
      assert.ok(sent <= seconds + 2, `${sent} requests in ${seconds.toFixed(1)} s while the LRS was down`);
      await outage.up();

      await eventually(
        () => distinct(flaky) >= expected.size && distinct(limited) >= expected.size && distinct(outage) >= expected.size,
        240_000,
        () => `flaky ${distinct(flaky)}, rate-limited ${distinct(limited)}, outage ${distinct(outage)} of ${expected.size}`,
      );
      for (const lrs of [flaky, limited, outage]) assertExactly(lrs, expected);
      assert.ok(
        flaky.requests.some((r) => r.status === 503),
        'the flaky LRS did answer 503',
      );
      assert.ok(answered429.length > 0, 'the rate-limited LRS did answer 429');
      // After a 429, only requests already in flight may arrive within the second it asked for.
      const maxInFlight = 4;
      for (const at of answered429) {
        const within = arrivals.filter((t) => t > at && t < at + 1000).length;
        assert.ok(within <= maxInFlight - 1, `${within} requests arrived within 1 s of a 429 (Retry-After: 1)`);
      }
      assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { stage: 'delivery' }), 0, 'nothing dead-lettered');
    },
  );

  it(
    'two statements with one id in a batch, and a 409 inside a batch of 100: the others delivered, the conflicts counted, logged and findable',
    { timeout: 120_000 },
    async () => {
      const events = buildEvents(99);
      // Two `play_video` of one learner at one instant, on two videos: ERB's id recipe gives both one id.
      const video = JSON.parse(readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8').split('\n')[59] as string) as Record<string, any>;
      const twin = structuredClone(video);
      twin['data'].id = 'ffffffffffffffffffffffffffffffff';
      const [videoStatement] = transformed('xapi', video, ctx);
      const [twinStatement] = transformed('xapi', twin, ctx);
      assert.ok(videoStatement && twinStatement);
      assert.equal(idOf(videoStatement), idOf(twinStatement), 'the recipe gives both one id');
      assert.notDeepEqual(videoStatement, twinStatement);

      const lrs = await fake();
      // The LRS already holds another statement under the id of one of the 99.
      const victim = [...expectedOf(events).values()][40] as Record<string, unknown>;
      const stored = await fetch(`${lrs.url}xapi/statements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ ...victim, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } }]),
      });
      assert.equal(stored.status, 200);

      const { service } = await serve('conflicts');
      const routerId = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(service.url, 1);
      const all = [...events, video, twin];
      await postEvents(
        service.url,
        all.map((e) => JSON.stringify(e)),
      );

      const expected = expectedOf([...events, video]);
      expected.delete(idOf(victim));
      await eventually(
        async () => (await metric(service.url, 'edx_event_router_events_dropped_total', { reason: 'conflict' })) >= 2,
        60_000,
        () => 'two conflicts',
      );
      await eventually(
        () => distinct(lrs) >= expected.size,
        60_000,
        () => `${distinct(lrs)} of ${expected.size} statements`,
      );
      assert.ok(
        lrs.requests.some((r) => r.status === 409),
        'the LRS answered 409 for a batch',
      );
      assert.deepEqual(new Set(lrs.acceptedIds().filter((id) => id !== idOf(victim))), new Set(expected.keys()));
      assert.deepEqual(
        lrs.accepted().find((s) => idOf(s) === idOf(videoStatement)),
        videoStatement,
        'the first of the twins was sent',
      );
      assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { reason: 'conflict' }), 2);
      assert.equal(await metric(service.url, 'edx_event_router_delivered_total'), expected.size, 'conflicts are not counted as delivered');

      const dead = await call(service.url, 'GET', `/api/dead-letters?router=${routerId}`);
      const letters = dead.json.deadLetters as Array<{ eventId: string; reason: string }>;
      assert.deepEqual(
        letters.map((d) => d.reason),
        ['conflict', 'conflict'],
      );
      assert.deepEqual(new Set(letters.map((d) => d.eventId)), new Set([idOf(victim), idOf(videoStatement)]));
      await eventually(
        () => /dead-lettered as conflict/.test(service.stdout() + service.stderr()),
        10_000,
        () => 'a log line',
      );
    },
  );

  it('three kill -9 during a run with 10 % of 503s: nothing lost, repeats byte-identical', { timeout: 300_000 }, async () => {
    const events = buildEvents(5000);
    const expected = expectedOf(events);
    const random = seededRandom(10);
    // Slow answers keep batches in flight at the moment of each kill.
    const lrs = await fake(async (request, index) =>
      random() < 0.1 ? { status: 503, body: 'busy', delayMs: 50 } : { ...(await lrsAccepts(request, index)), delayMs: 100 },
    );
    const first = await serve('kill3');
    let service = first.service;
    await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
    await waitForRouters(service.url, 1);
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
      1000,
    );
    for (let kill = 1; kill <= 3; kill++) {
      const target = Math.min(expected.size - 1, Math.floor((expected.size * kill) / 5));
      await lrs.waitFor(() => distinct(lrs) >= target, 120_000, `${target} statements before kill ${kill}`);
      const killed = await service.stop('SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      service = await startService(first.dir, first.settings);
      services.push(service);
    }
    await eventually(
      () => distinct(lrs) >= expected.size,
      240_000,
      () => `${distinct(lrs)} of ${expected.size} after three kills`,
    );
    assertExactly(lrs, expected);
    assert.equal(lrs.requests.filter((r) => r.status === 409).length, 0, 'no repeat differed from what the LRS held');
    assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { stage: 'delivery' }), 0);
    const stopped = await service.stop('SIGTERM');
    assert.equal(stopped.code, 0, service.stderr());
  });
});
