import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { idOf, startFakeLrs, statementsOf, type FakeLrs, type RecordedRequest, wasAccepted } from '../../fakes/fake-lrs.js';
import { buildEvents, CALIPER_SAMPLE, matchesCaliperSample, matchesXapiSample, serviceContext, transformed, XAPI_SAMPLE } from './events.js';
import {
  addRouter,
  baseSettings,
  call,
  eventually,
  metric,
  postEvents,
  readJsonLines,
  scratch,
  startService,
  waitForRouters,
  type RunningService,
} from './support.js';

/**
 * Acceptance (issue #5): 10,000 events POSTed to a real `serve` child process arrive at the LRS
 * exactly as `transformEvent` produces them, only those the two sample routers match, with the
 * caliper router's override_args and headers; the statement logs hold every statement before
 * match and overrides; a router edited through the API applies within seconds.
 */
const COUNT = 10_000;
const dir = scratch('routing');
let lrs: FakeLrs;
let service: RunningService;
let xapiId = '';
let caliperId = '';
const events = buildEvents(COUNT);
const ctx = serviceContext();

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    CALIPER_EVENTS_ENABLED: true,
    XAPI_EVENT_LOGGING_ENABLED: true,
    CALIPER_EVENT_LOGGING_ENABLED: true,
    EVENT_ROUTER_XAPI_TRACKING_LOG: join(dir.path, 'xapi_tracking.log'),
    EVENT_ROUTER_CALIPER_TRACKING_LOG: join(dir.path, 'caliper_tracking.log'),
  });
  xapiId = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/`, configurations: XAPI_SAMPLE });
  caliperId = await addRouter(service.url, { backend: 'caliper', routeUrl: `${lrs.url}caliper`, configurations: CALIPER_SAMPLE });
  await waitForRouters(service.url, 2);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

function byId(statements: readonly unknown[]): Map<string, unknown> {
  return new Map(statements.map((s) => [idOf(s), s]));
}

describe('serve: HTTP ingest → pipeline → routers → LRS', () => {
  const expectedXapi = byId(events.filter(matchesXapiSample).flatMap((e) => transformed('xapi', e, ctx)));
  const expectedCaliper = byId(events.filter(matchesCaliperSample).flatMap((e) => transformed('caliper', e, ctx)));
  const xapiRequests = (): RecordedRequest[] => lrs.requests.filter((r) => r.url.startsWith('/xapi/'));
  const caliperRequests = (): RecordedRequest[] => lrs.requests.filter((r) => r.url.startsWith('/caliper'));
  const acceptedIn = (requests: RecordedRequest[]): Map<string, unknown> => byId(requests.filter((r) => wasAccepted(r)).flatMap((r) => statementsOf(r.body)));

  it('delivers exactly the transformed statements of the matching events, with overrides and headers', { timeout: 240_000 }, async () => {
    assert.ok(expectedXapi.size > 100 && expectedCaliper.size > 100, 'the inputs match both routers often enough');
    const lines = events.map((e) => JSON.stringify(e));
    // Half as NDJSON, a part as JSON arrays, the rest one event per request.
    await postEvents(service.url, lines.slice(0, 5000), 1000);
    for (let i = 5000; i < 9900; i += 700) {
      const answer = await call(service.url, 'POST', '/events', `[${lines.slice(i, Math.min(i + 700, 9900)).join(',')}]`, { token: null });
      assert.equal(answer.status, 202, answer.text);
    }
    for (const line of lines.slice(9900)) assert.equal((await call(service.url, 'POST', '/events', line, { token: null })).status, 202);

    await eventually(
      () => acceptedIn(xapiRequests()).size >= expectedXapi.size && acceptedIn(caliperRequests()).size >= expectedCaliper.size,
      180_000,
      () => `xAPI ${acceptedIn(xapiRequests()).size}/${expectedXapi.size}, Caliper ${acceptedIn(caliperRequests()).size}/${expectedCaliper.size}`,
    );

    const gotXapi = acceptedIn(xapiRequests());
    assert.deepEqual([...gotXapi.keys()].sort(), [...expectedXapi.keys()].sort(), 'the xAPI router got exactly the matching statements');
    for (const [id, statement] of gotXapi) assert.ok(isDeepStrictEqual(statement, expectedXapi.get(id)), `xAPI statement ${id} differs from transformEvent`);
    for (const request of xapiRequests()) {
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/xapi/statements');
      assert.equal(request.headers['x-experience-api-version'], '1.0.3');
      assert.ok(Array.isArray(request.body));
      assert.equal(request.headers['test'], undefined);
    }

    const gotCaliper = acceptedIn(caliperRequests());
    assert.deepEqual([...gotCaliper.keys()].sort(), [...expectedCaliper.keys()].sort(), 'the Caliper router got exactly the matching events');
    for (const [id, event] of gotCaliper) assert.ok(isDeepStrictEqual(event, expectedCaliper.get(id)), `Caliper event ${id} differs from transformEvent`);
    for (const request of caliperRequests()) {
      assert.equal(request.url, '/caliper');
      assert.equal(request.headers['test'], 'header', 'configured headers are sent');
      const envelope = request.body as Record<string, unknown>;
      assert.equal(envelope['sensor_id'], 'sensor@example.com', 'override_args merged at the envelope root');
      assert.equal(envelope['sensor'], 'http://lms.example.com');
      assert.equal(envelope['dataVersion'], 'http://purl.imsglobal.org/ctx/caliper/v1p2');
    }

    assert.equal(await metric(service.url, 'edx_event_router_events_received_total', { source: 'http' }), COUNT);
    // The pipeline thread publishes its counts every 200 ms, so a statement may be delivered before
    // its queued count shows: wait for the counts, then check they are exact.
    const queued = async (destination: string): Promise<number> => metric(service.url, 'edx_event_router_statements_queued_total', { destination });
    await eventually(
      async () => (await queued(xapiId)) >= expectedXapi.size && (await queued(caliperId)) >= expectedCaliper.size,
      10_000,
      () => 'statements_queued_total',
    );
    assert.equal(await queued(xapiId), expectedXapi.size);
    assert.equal(await queued(caliperId), expectedCaliper.size);
    await eventually(
      async () => (await metric(service.url, 'edx_event_router_delivered_total')) >= expectedXapi.size + expectedCaliper.size,
      10_000,
      () => 'delivered_total',
    );
  });

  it("writes ERB's xapi_tracking and caliper_tracking streams: every statement, before match and overrides", async () => {
    const allXapi = events.flatMap((e) => transformed('xapi', e, ctx));
    const allCaliper = events.flatMap((e) => transformed('caliper', e, ctx));
    await eventually(
      () => readJsonLines(join(dir.path, 'xapi_tracking.log')).length >= allXapi.length,
      10_000,
      () => 'the xapi_tracking log',
    );
    const xapiLog = readJsonLines(join(dir.path, 'xapi_tracking.log'));
    const caliperLog = readJsonLines(join(dir.path, 'caliper_tracking.log'));
    assert.equal(xapiLog.length, allXapi.length);
    assert.equal(caliperLog.length, allCaliper.length);
    const expected = byId(allCaliper);
    for (const line of caliperLog) assert.ok(isDeepStrictEqual(line, expected.get(idOf(line))), 'logged as transformed (no override)');
    assert.ok(isDeepStrictEqual(byId(xapiLog), byId(allXapi)));
  });

  it('applies a router edited through the admin API within seconds', { timeout: 60_000 }, async () => {
    const patched = await call(service.url, 'PATCH', `/api/routers/${caliperId}`, {
      configurations: { ...CALIPER_SAMPLE, override_args: { sensor_id: 'changed@example.com' } },
    });
    assert.equal(patched.status, 200, patched.text);
    const editedAt = Date.now();
    const more = buildEvents(400, COUNT).filter(matchesCaliperSample);
    assert.ok(more.length > 0);
    await postEvents(
      service.url,
      more.map((e) => JSON.stringify(e)),
    );
    const ids = new Set(more.flatMap((e) => transformed('caliper', e, ctx)).map(idOf));
    await eventually(
      () => caliperRequests().some((r) => wasAccepted(r) && statementsOf(r.body).some((s) => ids.has(idOf(s)))),
      20_000,
      () => 'the new Caliper events',
    );
    const fresh = caliperRequests().filter((r) => statementsOf(r.body).some((s) => ids.has(idOf(s))));
    for (const request of fresh) assert.equal((request.body as Record<string, unknown>)['sensor_id'], 'changed@example.com');
    assert.ok(Date.now() - editedAt < 20_000);

    // Disabled through the API: nothing more reaches it.
    assert.equal((await call(service.url, 'PATCH', `/api/routers/${xapiId}`, { enabled: false })).status, 200);
    await waitForRouters(service.url, 1);
    const before = xapiRequests().length;
    const xapiMore = buildEvents(400, COUNT + 400).filter(matchesXapiSample);
    await postEvents(
      service.url,
      xapiMore.map((e) => JSON.stringify(e)),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(xapiRequests().length, before, 'a disabled router receives nothing');
  });

  it('stops on SIGTERM with exit code 0', { timeout: 60_000 }, async () => {
    const { code, signal } = await service.stop('SIGTERM');
    assert.equal(signal, null);
    assert.equal(code, 0, service.stderr());
  });
});
