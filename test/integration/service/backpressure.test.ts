import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, call, eventually, metric, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Backpressure (issue #5): with the LRS down the outbox fills up to its bound, the pipeline stops
 * taking events, the inbox fills up to its bound, and ingest answers 503 with Retry-After
 * (nothing of that request stored). When the LRS is back, everything accepted is delivered.
 */
const dir = scratch('backpressure');
let lrs: FakeLrs;
let service: RunningService;

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    EVENT_ROUTER_OUTBOX_MAX_DEPTH: 150,
    EVENT_ROUTER_INBOX_MAX_DEPTH: 200,
    EVENT_ROUTER_PIPELINE_BATCH_SIZE: 50,
  });
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('backpressure', () => {
  it('answers 503 + Retry-After once the inbox is at its bound, and delivers everything accepted later', { timeout: 120_000 }, async () => {
    await lrs.down();
    const events = buildEvents(1000);
    const accepted: Record<string, unknown>[] = [];
    let refused: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < events.length && refused === undefined; i += 25) {
      const chunk = events.slice(i, i + 25);
      const answer = await call(service.url, 'POST', '/events', chunk.map((e) => JSON.stringify(e)).join('\n'), { token: null });
      if (answer.status === 202) accepted.push(...chunk);
      else if (answer.status === 503) refused = answer;
      else assert.fail(`unexpected ${answer.status}: ${answer.text}`);
      // Give the pipeline time to fill the outbox first.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(refused, 'ingest refused once the inbox was full');
    assert.equal(refused.json.error, 'queue_overflow');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.ok(accepted.length >= 200, `accepted ${accepted.length}`);
    const ready = await call(service.url, 'GET', '/readyz', undefined, { token: null });
    assert.equal(ready.status, 503, 'not ready while the inbox is full');
    assert.ok((await metric(service.url, 'edx_event_router_inbox_depth')) > 0);

    await lrs.up();
    const ctx = serviceContext();
    const want = new Set(accepted.flatMap((e) => transformed('xapi', e, ctx)).map(idOf));
    await eventually(
      () => [...want].every((id) => lrs.acceptedIds().includes(id)),
      90_000,
      () => `all ${want.size} accepted statements`,
    );
    assert.deepEqual(new Set(lrs.acceptedIds()), want, 'what was refused was not stored');
    assert.equal((await call(service.url, 'GET', '/readyz', undefined, { token: null })).status, 200);
    assert.equal((await service.stop('SIGTERM')).code, 0);
  });
});
