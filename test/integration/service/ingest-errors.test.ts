import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, call, eventually, metric, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Acceptance (issue #5): malformed JSON, non-objects, unknown events, oversized bodies, invalid
 * router configs, a missing ingest token: a clear 4xx or a counted skip, and nothing else lost.
 */
const INGEST_TOKEN = 'ingest-token-for-the-tests-0001';
const dir = scratch('ingest');
let lrs: FakeLrs;
let service: RunningService;
const good = buildEvents(40).map((e) => JSON.stringify(e));
const ctx = serviceContext();
const expected = new Set(
  buildEvents(40)
    .flatMap((e) => transformed('xapi', e, ctx))
    .map(idOf),
);
const post = (body: string, token: string | null = INGEST_TOKEN, contentType = 'application/x-ndjson') =>
  call(service.url, 'POST', '/events', body, { token, contentType });

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    EVENT_ROUTER_INGEST_TOKEN: INGEST_TOKEN,
    EVENT_ROUTER_INGEST_MAX_BODY_BYTES: 64 * 1024,
  });
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('POST /events: bad input', () => {
  it('needs the ingest token when one is set (401, nothing stored)', async () => {
    const missing = await post(good[0] as string, null);
    assert.equal(missing.status, 401);
    assert.equal(missing.json.error, 'unauthorized');
    assert.equal((await post(good[0] as string, 'wrong-token-wrong-token')).status, 401);
    assert.equal(await metric(service.url, 'edx_event_router_events_received_total'), 0);
  });

  it('answers 400 with per-line errors for bad NDJSON lines and accepts the good ones', async () => {
    const body = [good[0], '{"name": "broken"', '42', '["not", "an", "object"]', '{"data": {}}', '', good[1], 'garbage'].join('\n');
    const answer = await post(body);
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.json.error, 'invalid_events');
    assert.equal(answer.json.accepted, 2);
    assert.equal(answer.json.rejected, 5);
    assert.deepEqual(
      answer.json.errors.map((e: { line: number; reason: string }) => [e.line, e.reason]),
      [
        [2, 'unparsable_line'],
        [3, 'unparsable_line'],
        [4, 'unparsable_line'],
        [5, 'invalid_event'],
        [8, 'unparsable_line'],
      ],
    );
  });

  it('answers 400 for non-objects in a JSON array, for a broken array and for a non-object body', async () => {
    const array = await post(`[${good[2]}, 1, "x", null, {"name": ""}, ${good[3]}]`, INGEST_TOKEN, 'application/json');
    assert.equal(array.status, 400);
    assert.equal(array.json.accepted, 2);
    assert.deepEqual(
      array.json.errors.map((e: { line: number }) => e.line),
      [2, 3, 4, 5],
    );
    assert.equal(array.json.message, '4 of 6 inputs are not events; the other 2 were accepted');
    const numbers = await post('[1,2]', INGEST_TOKEN, 'application/json');
    assert.equal(numbers.status, 400);
    assert.equal(numbers.json.message, '2 of 2 inputs are not events; nothing was accepted');
    assert.equal(numbers.json.errors[0].message, 'a JSON number is not an event (a JSON object with a "name")');
    const broken = await post(`[${good[4]}, `, INGEST_TOKEN, 'application/json');
    assert.equal(broken.status, 400);
    assert.equal(broken.json.accepted, 0);
    assert.equal((await post('"just a string"', INGEST_TOKEN, 'application/json')).status, 400);
    const empty = await post('', INGEST_TOKEN);
    assert.equal(empty.status, 400);
    assert.equal(empty.json.error, 'no_events');
  });

  it('answers 413 for a body over the limit and stores nothing of it', async () => {
    const before = await metric(service.url, 'edx_event_router_events_received_total');
    const big = Array.from({ length: 200 }, () => good[5]).join('\n');
    assert.ok(big.length > 64 * 1024);
    const answer = await post(big);
    assert.equal(answer.status, 413);
    assert.equal(answer.json.error, 'body_too_large');
    assert.equal(await metric(service.url, 'edx_event_router_events_received_total'), before);
    assert.equal(await metric(service.url, 'edx_event_router_ingest_rejected_total', { reason: 'body_too_large' }), 1);
  });

  it('accepts unknown events (202) and counts them as skipped', async () => {
    const answer = await post(JSON.stringify({ name: 'edx.no.such.event', timestamp: '2024-01-01T00:00:00Z', data: {}, context: {} }));
    assert.equal(answer.status, 202);
    await eventually(
      async () => (await metric(service.url, 'edx_event_router_events_skipped_total', { reason: 'unsupported_event' })) >= 1,
      20_000,
      () => 'the unsupported_event skip',
    );
  });

  it('refuses an invalid router configuration with 400 and every problem listed; nothing is stored', async () => {
    const answer = await call(service.url, 'POST', '/api/routers', {
      backend: 'xapi',
      routeUrl: 'http://127.0.0.1:1/other/',
      configurations: { match_params: { name: ['(unclosed'] }, headers: 'not an object' },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error, 'invalid_router');
    assert.ok(answer.json.errors.length >= 2, answer.text);
    assert.equal((await call(service.url, 'GET', '/api/routers')).json.routers.length, 1);
  });

  it('loses nothing else: every good event accepted above is delivered', { timeout: 60_000 }, async () => {
    const rest = good.slice(6);
    assert.equal((await post(rest.join('\n'))).status, 202);
    // Accepted: good[0..3] in the 400 answers, good[6..] now; good[4] was in the broken array, good[5] in the 413 body.
    const sent = new Set([0, 1, 2, 3, ...rest.map((_, i) => i + 6)]);
    const want = new Set(
      buildEvents(40)
        .filter((_, i) => sent.has(i))
        .flatMap((e) => transformed('xapi', e, ctx))
        .map(idOf),
    );
    assert.ok(want.size < expected.size);
    await lrs.waitFor(() => [...want].every((id) => lrs.acceptedIds().includes(id)), 30_000, 'every accepted statement');
    assert.deepEqual(new Set(lrs.acceptedIds()), want);
    assert.equal((await service.stop('SIGTERM')).code, 0);
  });
});
