import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { idOf, lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, eventually, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * SIGTERM (issue #5): stop ingest, drain the pipeline, flush delivery within the deadline, keep
 * the rest durable, exit 0. With a slow LRS the deadline passes: the rest is delivered after
 * the next start.
 */
const dir = scratch('shutdown');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('SIGTERM', () => {
  it('drains, exits 0 within the deadline, and keeps what it could not send for the next start', { timeout: 180_000 }, async () => {
    const events = buildEvents(3000);
    const ctx = serviceContext();
    const expected = new Set(events.flatMap((e) => transformed('xapi', e, ctx)).map(idOf));
    const lrs = await startFakeLrs(async (request, index) => ({ ...(await lrsAccepts(request, index)), delayMs: 200 }));
    try {
      const settings = { ...baseSettings(join(dir.path, 'data')), EVENT_ROUTER_SHUTDOWN_TIMEOUT: 3, EVENT_ROUTER_DELIVERY_MAX_IN_FLIGHT: 1 };
      const first = await startService(dir.path, settings);
      running.push(first);
      await addRouter(first.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(first.url, 1);
      await postEvents(
        first.url,
        events.map((e) => JSON.stringify(e)),
      );
      const started = Date.now();
      const { code, signal } = await first.stop('SIGTERM');
      assert.equal(signal, null);
      assert.equal(code, 0, first.stderr());
      assert.ok(Date.now() - started < 15_000, `stopped within the deadline (${Date.now() - started} ms)`);
      assert.match(first.stderr(), /SIGTERM: stopping[\s\S]*stopped/);
      const before = new Set(lrs.acceptedIds()).size;
      assert.ok(before < expected.size, 'a slow LRS leaves work for the next start');

      const second = await startService(dir.path, settings);
      running.push(second);
      await eventually(
        () => new Set(lrs.acceptedIds()).size >= expected.size,
        120_000,
        () => `all statements (${new Set(lrs.acceptedIds()).size}/${expected.size})`,
      );
      assert.deepEqual(new Set(lrs.acceptedIds()), expected);
      assert.equal((await second.stop('SIGTERM')).code, 0);
    } finally {
      await lrs.close();
    }
  });
});
