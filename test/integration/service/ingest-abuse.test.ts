import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { idOf, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { rawRequest, slowUpload, type SlowUpload } from './raw-http.js';
import { addRouter, baseSettings, call, eventually, metric, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Acceptance (issue #16, items 1, 2, 5, 6, 14): slow uploads, deep nesting, concurrent large
 * bodies, a gzip bomb: ingest keeps taking normal requests, memory stays within the body budget
 * (EVENT_ROUTER_INGEST_MAX_IN_FLIGHT × body limit), no thread restarts, /readyz tells the truth.
 */
const INGEST_TOKEN = 'ingest-token-for-the-abuse-tests-1';
const BODY_LIMIT = 256 * 1024;
const IN_FLIGHT = 4;
const BUDGET = IN_FLIGHT * BODY_LIMIT;
const dir = scratch('abuse');
let lrs: FakeLrs;
let service: RunningService;
const auth = { authorization: `Bearer ${INGEST_TOKEN}` };
const events = buildEvents(60).map((e) => JSON.stringify(e));
const ctx = serviceContext();
/** Indexes into `events` of what was accepted (202 or the good part of a 400). */
const accepted = new Set<number>();

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  rawRequest(service.url, 'POST', '/events', { headers: { ...auth, 'content-type': 'application/x-ndjson', ...headers }, body });
const readyz = () => call(service.url, 'GET', '/readyz', undefined, { token: null });
const check = (answer: Awaited<ReturnType<typeof readyz>>, name: string) =>
  (answer.json?.checks as Array<{ name: string; ok: boolean; detail?: string }>).find((c) => c.name === name);

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    EVENT_ROUTER_INGEST_TOKEN: INGEST_TOKEN,
    EVENT_ROUTER_INGEST_MAX_BODY_BYTES: BODY_LIMIT,
    EVENT_ROUTER_INGEST_MAX_IN_FLIGHT: IN_FLIGHT,
    EVENT_ROUTER_INGEST_BODY_TIMEOUT: 20,
  });
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('ingest under abuse', () => {
  it('takes a normal POST at once while 100 slow uploads run, and closes those with 408 after the body timeout', { timeout: 180_000 }, async (t) => {
    const slow: SlowUpload[] = Array.from({ length: 100 }, () => slowUpload(service.url, { contentLength: 100_000, everyMs: 2000, headers: auth }));
    try {
      // Every one of them has sent its headers and a first byte of body.
      await eventually(
        async () => (await metric(service.url, 'edx_event_router_ingest_body_bytes')) >= 100,
        60_000,
        () => '100 slow bodies being read',
      );
      const started = Date.now();
      const answer = await post(events.slice(0, 5).join('\n'));
      t.diagnostic(`a normal POST while 100 slow uploads run: ${answer.status} in ${Date.now() - started} ms`);
      assert.equal(answer.status, 202, answer.text);
      for (const i of [0, 1, 2, 3, 4]) accepted.add(i);
      const ready = await readyz();
      assert.equal(ready.status, 200, ready.text);
      const answers = await Promise.all(slow.map((s) => s.closed));
      assert.ok(
        answers.every((a) => a.startsWith('HTTP/1.1 408')),
        answers.find((a) => !a.startsWith('HTTP/1.1 408')),
      );
      assert.match(answers[0] ?? '', /body_timeout/);
      assert.equal(await metric(service.url, 'edx_event_router_ingest_rejected_total', { reason: 'body_timeout' }), 100);
      assert.equal(await metric(service.url, 'edx_event_router_ingest_body_bytes'), 0);
    } finally {
      for (const s of slow) s.stop();
    }
  });

  it('is not ready while uploads hold the body budget, still takes small bodies, and is ready again once they go', { timeout: 120_000 }, async () => {
    const holders = Array.from({ length: 4 }, () =>
      slowUpload(service.url, { contentLength: 200 * 1024, first: `{${' '.repeat(199 * 1024)}`, everyMs: 1000, headers: auth }),
    );
    try {
      await eventually(
        async () => (await metric(service.url, 'edx_event_router_ingest_body_bytes')) >= 4 * 199 * 1024,
        30_000,
        () => 'the held bodies',
      );
      // No room for a full-size body any more: a large one is refused before it is read, a small one goes through.
      const large = await post(`${events[5]}\n${' '.repeat(250 * 1024)}`);
      assert.equal(large.status, 503, large.text);
      assert.equal(large.json.error, 'too_many_requests');
      assert.ok(Number(large.headers['retry-after']) > 0);
      const small = await post(events[6] as string);
      assert.equal(small.status, 202, small.text);
      accepted.add(6);
      let last = '';
      await eventually(
        async () => {
          const answer = await readyz();
          last = answer.text;
          return answer.status === 503 && check(answer, 'ingest')?.ok === false;
        },
        30_000,
        () => `/readyz to fail on the ingest check (last: ${last})`,
      );
      assert.match(check(await readyz(), 'ingest')?.detail ?? '', /MiB of request bodies held; no room for a full-size body for \d+ s/);
    } finally {
      for (const h of holders) h.stop();
    }
    await eventually(
      async () => (await readyz()).status === 200,
      30_000,
      () => '/readyz to pass once the uploads are gone',
    );
  });

  it('refuses only the item nested 100,000 levels deep (400 naming it), stores the others, and no thread restarts', { timeout: 60_000 }, async () => {
    const deep = `{"name":"x","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const answer = await post(`[${events[7]},${deep},${events[8]}]`, { 'content-type': 'application/json' });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.json.accepted, 2);
    assert.deepEqual(
      answer.json.errors.map((e: { line: number; reason: string }) => [e.line, e.reason]),
      [[2, 'invalid_event']],
    );
    assert.match(answer.json.errors[0].message, /nested too deeply/);
    accepted.add(7).add(8);
    // As an NDJSON line, with the name of an event we transform: stored, and the pipeline copes.
    const line = `{"name":"problem_check","event_type":"problem_check","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const ndjson = await post(`${events[9]}\n${line}\n${events[10]}`);
    assert.ok(ndjson.status === 202 || ndjson.status === 400, ndjson.text);
    accepted.add(9).add(10);
    const next = await post(events[11] as string);
    assert.equal(next.status, 202, next.text);
    accepted.add(11);
    const want = new Set([7, 8, 9, 10, 11].flatMap((i) => transformed('xapi', buildEvents(60)[i] as Record<string, unknown>, ctx)).map(idOf));
    await lrs.waitFor(() => [...want].every((id) => lrs.acceptedIds().includes(id)), 30_000, 'the statements of the good events');
    assert.doesNotMatch(service.stdout(), /pipeline thread (exited|failed)/);
  });

  it('decodes gzip bodies, stops a gzip bomb at the body limit, and answers 415 for other encodings', { timeout: 60_000 }, async () => {
    const zipped = await post(gzipSync(Buffer.from(events.slice(12, 20).join('\n'))), { 'content-encoding': 'gzip' });
    assert.equal(zipped.status, 202, zipped.text);
    assert.equal(zipped.json.accepted, 8);
    for (let i = 12; i < 20; i++) accepted.add(i);
    // 64 MiB of spaces is some 64 KiB compressed.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < BODY_LIMIT);
    const refused = await post(bomb, { 'content-encoding': 'gzip' });
    assert.equal(refused.status, 413, refused.text);
    assert.match(refused.json.message, /once decoded/);
    assert.ok((await metric(service.url, 'edx_event_router_ingest_body_bytes_peak')) <= BUDGET);
    const brotli = await post('whatever', { 'content-encoding': 'br' });
    assert.equal(brotli.status, 415, brotli.text);
    assert.equal(brotli.json.error, 'unsupported_encoding');
    const garbage = await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    assert.equal(garbage.status, 400, garbage.text);
    assert.equal(garbage.json.error, 'bad_encoding');
  });

  it('holds at most the body budget when many large bodies arrive at once: each is stored or refused with 503', { timeout: 120_000 }, async () => {
    const filler = (i: number) => `${events[i]}\n${' '.repeat(200 * 1024)}`;
    const indexes = Array.from({ length: 16 }, (_, k) => 20 + k);
    const answers = await Promise.all(indexes.map((i) => post(filler(i))));
    answers.forEach((answer, k) => {
      if (answer.status === 202) accepted.add(indexes[k] as number);
      else assert.ok(answer.status === 503 && answer.json?.error === 'too_many_requests', `${answer.status} ${answer.text}`);
    });
    assert.ok(answers.some((a) => a.status === 202));
    const peak = await metric(service.url, 'edx_event_router_ingest_body_bytes_peak');
    assert.ok(peak > 0 && peak <= BUDGET, `peak ${peak} of ${BUDGET}`);
  });

  it('loses nothing: every accepted event is delivered', { timeout: 60_000 }, async () => {
    const all = buildEvents(60);
    const want = new Set([...accepted].flatMap((i) => transformed('xapi', all[i] as Record<string, unknown>, ctx)).map(idOf));
    await lrs.waitFor(() => [...want].every((id) => lrs.acceptedIds().includes(id)), 45_000, 'every accepted statement');
    assert.equal((await service.stop('SIGTERM')).code, 0);
  });
});
