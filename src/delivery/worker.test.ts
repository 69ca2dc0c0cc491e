import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type FakeLrs, idOf, lrsAccepts, startFakeLrs, statementsOf } from '../../test/fakes/fake-lrs.js';
import { createRecordingObserver, type RecordingObserver } from '../../test/fakes/recording-observer.js';
import { statement, statementItems } from '../../test/fakes/statements.js';
import { createMemoryQueue } from '../queue/memory/memory-queue.js';
import type { DeliveryQueue } from '../queue/port.js';
import { createRetryPolicy } from './retry-policy.js';
import type { DeliveryRouter } from './router-config.js';
import { createDeliveryWorker, type DeliveryWorker, type WorkerSettings } from './worker.js';
import { JsonPayload } from '../queue/json-payload.js';

const fastRetries = createRetryPolicy({ initialDelayMs: 20, maxDelayMs: 100, jitter: 0 });

describe('delivery worker', () => {
  let lrs: FakeLrs;
  let queue: DeliveryQueue;
  let observer: RecordingObserver;
  let worker: DeliveryWorker | null;

  const router = (extra: Partial<DeliveryRouter> = {}): DeliveryRouter => ({
    id: 'r1',
    backend: 'xapi',
    url: `${lrs.url}xAPI`,
    auth: { scheme: 'basic', username: 'u', password: 'p' },
    batching: { enabled: true, size: 10, intervalMs: 60_000 },
    ...extra,
  });

  const startWorker = (config: DeliveryRouter, settings: Partial<WorkerSettings> = {}): DeliveryWorker => {
    worker = createDeliveryWorker(config, {
      queue,
      caliperSensor: 'http://lms.example',
      observer,
      retryPolicy: fastRetries,
      idlePollMs: 50,
      http: { timeoutMs: 2000 },
      ...settings,
    });
    queue.onEnqueue(() => worker?.notify());
    worker.start();
    return worker;
  };

  before(async () => {
    lrs = await startFakeLrs();
  });
  after(async () => {
    await lrs.close();
  });
  beforeEach(() => {
    lrs.requests.length = 0;
    lrs.respondWith(lrsAccepts);
    queue = createMemoryQueue();
    observer = createRecordingObserver();
    worker = null;
  });
  afterEach(async () => {
    await worker?.shutdown(1000);
    await queue.close();
  });

  it('sends full batches at once and the rest on flush', async () => {
    const w = startWorker(router());
    await queue.enqueue(statementItems('r1', 25));
    await lrs.waitFor(() => lrs.requests.length === 2, 3000, 'two full batches');
    assert.equal(lrs.requests.length, 2);
    assert.equal(await w.flush(3000), true);
    assert.deepEqual(
      lrs.requests.map((r) => statementsOf(r.body).length),
      [10, 10, 5],
    );
    const [first] = lrs.requests;
    assert.equal(first?.method, 'POST');
    assert.equal(first?.url, '/xAPI/statements');
    assert.equal(first?.headers['x-experience-api-version'], '1.0.3');
    assert.equal(first?.headers['content-type'], 'application/json');
    assert.equal(first?.headers['authorization'], `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.equal((await queue.stats()).depth, 0);
    assert.equal(observer.delivered, 25);
  });

  it('sends a partial batch when its interval passes, without a new event', async () => {
    startWorker(router({ batching: { enabled: true, size: 10, intervalMs: 150 } }));
    const startedAt = Date.now();
    await queue.enqueue(statementItems('r1', 3));
    await lrs.waitFor(() => lrs.accepted().length === 3, 3000, 'the partial batch');
    assert.ok(Date.now() - startedAt >= 140, 'not before the interval');
    assert.equal(lrs.requests.length, 1);
  });

  it('sends every statement on its own when batching is off', async () => {
    const w = startWorker(router({ batching: { enabled: false, size: 10, intervalMs: 0 } }));
    await queue.enqueue(statementItems('r1', 5));
    await lrs.waitFor(() => lrs.accepted().length === 5, 3000, 'five statements');
    assert.ok(lrs.requests.every((r) => statementsOf(r.body).length === 1));
    assert.equal(await w.flush(1000), true);
  });

  it('retries a failing destination with backoff until it answers', async () => {
    lrs.script({ status: 503 }, { status: 503, headers: { 'retry-after': '0' } }, { status: 500 });
    const w = startWorker(router());
    await queue.enqueue(statementItems('r1', 4));
    await w.flush(100);
    await lrs.waitFor(() => lrs.accepted().length === 4, 5000, 'delivery after the outage');
    assert.equal(await w.flush(2000), true);
    assert.equal(lrs.requests.length, 4);
    assert.equal(observer.retried, 12);
    assert.equal((await queue.stats()).depth, 0);
  });

  it('dead-letters the one statement the LRS refuses and delivers the others', async () => {
    lrs.respondWith((request) =>
      statementsOf(request.body).some((s) => (s as { bad?: boolean }).bad) ? { status: 400, body: { error: 'invalid statement' } } : lrsAccepts(request, 0),
    );
    const w = startWorker(router());
    const items = statementItems('r1', 7);
    const poison = statement(99, { bad: true });
    items.splice(3, 0, { routerId: 'r1', eventId: poison.id, eventName: 'edx.bad', payload: JsonPayload.of(poison) });
    await queue.enqueue(items);
    assert.equal(await w.flush(3000), true);
    assert.deepEqual(new Set(lrs.acceptedIds()), new Set(items.filter((i) => i.eventId !== poison.id).map((i) => i.eventId)));
    const dead = await queue.deadLetters.list();
    assert.equal(dead.length, 1);
    assert.equal(dead[0]?.eventId, poison.id);
    assert.equal(dead[0]?.reason, 'lrs_rejected');
    assert.equal(dead[0]?.response?.statusCode, 400);
    assert.match(dead[0]?.response?.body ?? '', /invalid statement/);
    assert.equal(observer.deadLettered, 1);
  });

  it('splits a batch answered 409 so the others get in, and sends a repeated id once', async () => {
    lrs.script({ status: 409 });
    const w = startWorker(router());
    const [one] = statementItems('r1', 1);
    assert.ok(one);
    await queue.enqueue([one, { ...one }, ...statementItems('r1', 1)]);
    assert.equal(await w.flush(3000), true);
    assert.equal((await queue.stats()).depth, 0);
    assert.equal((await queue.deadLetters.list()).length, 0);
    assert.equal(new Set(statementsOf(lrs.requests[0]?.body).map(idOf)).size, 2, 'no repeated id in one batch');
    assert.equal(statementsOf(lrs.requests[0]?.body).length, 2);
    // The 409 batch is split so that the statement not yet stored gets in (bisect.ts).
    assert.equal(lrs.requests.length, 3);
  });

  it('in a batch of 100, isolates the statement whose id the LRS holds with other content: the others delivered, the conflict dead-lettered', async () => {
    const items = statementItems('r1', 100);
    const victim = items[37];
    assert.ok(victim);
    // The LRS (Ralph's rules) already holds another statement under that id.
    const other = statement(1000, { id: victim.eventId });
    await fetch(`${lrs.url}xAPI/statements`, { method: 'POST', body: JSON.stringify([other]), headers: { 'content-type': 'application/json' } });
    const w = startWorker(router({ batching: { enabled: true, size: 100, intervalMs: 60_000 } }));
    await queue.enqueue(items);
    assert.equal(await w.flush(5000), true);
    assert.equal(lrs.requests[1]?.status, 409, 'Ralph refuses the whole batch');
    const delivered = new Set(lrs.acceptedIds());
    for (const item of items) if (item !== victim) assert.ok(delivered.has(item.eventId), `${item.eventId} delivered`);
    assert.equal(lrs.stored.get(victim.eventId), JSON.stringify(other), 'the stored statement is left alone');
    const dead = await queue.deadLetters.list();
    assert.deepEqual(
      dead.map((d) => [d.eventId, d.reason, d.response?.statusCode]),
      [[victim.eventId, 'conflict', 409]],
    );
    assert.equal(observer.delivered, 99, 'the conflict is not counted as delivered');
    assert.deepEqual(
      observer.of('dead_lettered').map((e) => [e.reason, e.count]),
      [['conflict', 1]],
    );
  });

  it('does not merge two different statements with one id in a batch: one sent, the other a conflict', async () => {
    const [first, ...rest] = statementItems('r1', 5);
    assert.ok(first);
    const twin = { routerId: 'r1', eventId: first.eventId, eventName: 'edx.video.played', payload: JsonPayload.of(statement(77, { id: first.eventId })) };
    const w = startWorker(router());
    await queue.enqueue([first, twin, ...rest]);
    assert.equal(await w.flush(3000), true);
    assert.equal(lrs.requests.length, 1);
    assert.equal(statementsOf(lrs.requests[0]?.body).length, 5);
    const dead = await queue.deadLetters.list();
    assert.deepEqual(
      dead.map((d) => [d.eventId, d.reason]),
      [[first.eventId, 'conflict']],
    );
    assert.deepEqual(dead[0]?.payload.value(), twin.payload.value());
    assert.equal(observer.delivered, 5);
  });

  it('resending statements the LRS already holds, unchanged, is a silent success', async () => {
    const items = statementItems('r1', 10);
    const w = startWorker(router());
    await queue.enqueue(items);
    assert.equal(await w.flush(3000), true);
    await queue.enqueue(items);
    assert.equal(await w.flush(3000), true);
    assert.equal(lrs.requests[1]?.status, 204);
    assert.equal((await queue.deadLetters.list()).length, 0);
    assert.equal(observer.delivered, 20);
  });

  it('while the LRS refuses connections, sends one probe per interval and delivers the backlog at once when it is back', async () => {
    const w = startWorker(router({ batching: { enabled: true, size: 10, intervalMs: 0 } }), { probeIntervalMs: 200 });
    await lrs.down();
    try {
      await queue.enqueue(statementItems('r1', 200));
      await lrs.waitFor(() => w.health().state === 'circuit_open' && observer.of('health').length > 0, 5000, 'the circuit to open');
      const opened = observer.requests;
      const retrying = (await queue.stats()).routers[0]?.retrying;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const probes = observer.requests - opened;
      // About five probes in a second at 200 ms apart; a loaded machine sends fewer, never a flood.
      assert.ok(probes <= 7, `${probes} requests while down`);
      assert.equal((await queue.stats()).routers[0]?.retrying, retrying, 'probes spend no attempts of the statements held back');
    } finally {
      await lrs.up();
    }
    assert.equal(await w.flush(10_000), true);
    assert.equal(new Set(lrs.acceptedIds()).size, 200);
    assert.equal((await queue.deadLetters.list()).length, 0);
  });

  it('holds items on 401, reports unauthorized, and resumes with new credentials', async () => {
    lrs.respondWith((request) => (request.headers['authorization'] === 'Bearer good' ? lrsAccepts(request, 0) : { status: 401 }));
    const batching = { enabled: true, size: 3, intervalMs: 60_000 };
    const w = startWorker(router({ auth: { scheme: 'bearer', token: 'bad' }, batching }), { unauthorizedRetryMs: 60_000 });
    await queue.enqueue(statementItems('r1', 3));
    await lrs.waitFor(() => w.health().state === 'unauthorized', 3000, 'unauthorized');
    assert.equal((await queue.deadLetters.list()).length, 0);
    const [held] = (await queue.stats()).routers;
    assert.equal(held?.depth, 3);
    assert.equal(held?.retrying, 0, 'a 401 does not count against the statements');
    w.update(router({ auth: { scheme: 'bearer', token: 'good' }, batching }));
    await lrs.waitFor(() => lrs.accepted().length === 3, 3000, 'delivery with new credentials');
    assert.equal(w.health().state, 'healthy');
    assert.deepEqual(
      observer.of('health').map((e) => e.health.state),
      ['unauthorized', 'healthy'],
    );
  });

  it('sends nothing while disabled and picks up where it was when enabled', async () => {
    const w = startWorker(router({ enabled: false }));
    await queue.enqueue(statementItems('r1', 3));
    assert.equal(await w.flush(200), false);
    assert.equal(lrs.requests.length, 0);
    assert.equal(w.health().state, 'disabled');
    w.update(router({ enabled: true, batching: { enabled: true, size: 3, intervalMs: 60_000 } }));
    await lrs.waitFor(() => lrs.accepted().length === 3, 3000, 'delivery once enabled');
  });

  it('follows an edited URL', async () => {
    const other = await startFakeLrs();
    try {
      const w = startWorker(router({ batching: { enabled: true, size: 1, intervalMs: 0 } }));
      await queue.enqueue(statementItems('r1', 1));
      await lrs.waitFor(() => lrs.accepted().length === 1, 3000, 'first LRS');
      w.update(router({ url: other.url, batching: { enabled: true, size: 1, intervalMs: 0 } }));
      await queue.enqueue(statementItems('r1', 1));
      await other.waitFor(() => other.accepted().length === 1, 3000, 'second LRS');
      assert.equal(other.requests[0]?.url, '/statements');
    } finally {
      await other.close();
    }
  });

  it('sends Caliper batches as one envelope with the configured headers', async () => {
    const w = startWorker(router({ backend: 'caliper', url: `${lrs.url}caliper`, headers: { 'X-Key': 'k' }, auth: { scheme: 'none' } }));
    await queue.enqueue([1, 2].map((n) => ({ routerId: 'r1', eventId: `e${n}`, payload: JsonPayload.of({ id: `e${n}`, type: 'Event' }) })));
    assert.equal(await w.flush(3000), true);
    const [request] = lrs.requests;
    assert.equal(request?.url, '/caliper');
    assert.equal(request?.headers['x-key'], 'k');
    assert.equal(request?.headers['authorization'], undefined);
    const envelope = request?.body as { sensor: string; data: unknown[] };
    assert.equal(envelope.sensor, 'http://lms.example');
    assert.deepEqual(envelope.data, [
      { id: 'e1', type: 'Event' },
      { id: 'e2', type: 'Event' },
    ]);
  });

  it('appends JSON lines to a file:// route', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-route-'));
    try {
      const file = join(dir, 'out.ndjson');
      const w = startWorker(router({ url: pathToFileURL(file).href, overrideArgs: { version: '1.0.3' } }), { fileRoutesDir: dir });
      const items = statementItems('r1', 12);
      await queue.enqueue(items);
      assert.equal(await w.flush(3000), true);
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; version: string });
      assert.deepEqual(
        lines.map((l) => l.id),
        items.map((i) => i.eventId),
      );
      assert.ok(lines.every((l) => l.version === '1.0.3'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('times out a hanging request and retries it', async () => {
    lrs.script({ status: 200, delayMs: 3000 });
    const w = startWorker(router({ batching: { enabled: true, size: 2, intervalMs: 0 } }), { http: { timeoutMs: 500 } });
    await queue.enqueue(statementItems('r1', 2));
    await lrs.waitFor(() => lrs.accepted().length >= 2, 8000, 'delivery after the timeout');
    const timeouts = observer.of('response').filter((e) => e.errorCode === 'TIMEOUT');
    assert.ok(timeouts.length >= 1);
    assert.equal(await w.flush(2000), true);
  });

  it('on shutdown aborts requests past the deadline and gives their items back uncounted', async () => {
    lrs.respondWith(() => ({ status: 200, delayMs: 5000 }));
    const w = startWorker(router({ batching: { enabled: true, size: 3, intervalMs: 0 } }), { http: { timeoutMs: 10_000 } });
    await queue.enqueue(statementItems('r1', 3));
    await lrs.waitFor(() => lrs.requests.length === 1, 3000, 'the slow request');
    const started = Date.now();
    await w.shutdown(100);
    await w.shutdown(100);
    assert.ok(Date.now() - started < 2000);
    assert.equal(w.health().state, 'stopped');
    const back = await queue.lease('r1', 10, 1000);
    assert.equal(back.length, 3);
    assert.ok(back.every((i) => i.attempts === 0));
  });
});
