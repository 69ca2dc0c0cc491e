import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { idOf, lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, eventually, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Acceptance (issue #5): kill -9 of the service with 10,000 events in flight (accepted, some in
 * the inbox, some in the outbox, some being sent); after a restart on the same data directory
 * every statement is delivered, at least once, and a repeat is the same statement.
 */
const COUNT = 10_000;
const dir = scratch('kill');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('kill -9 with 10,000 events in flight, then restart', () => {
  it('delivers every statement after the restart; repeats carry the same id and content', { timeout: 300_000 }, async () => {
    const events = buildEvents(COUNT);
    const ctx = serviceContext();
    const expected = new Map(events.flatMap((e) => transformed('xapi', e, ctx)).map((s) => [idOf(s), s]));
    // Slow answers keep batches in flight at the moment of the kill.
    const lrs = await startFakeLrs(async (request, index) => ({ ...(await lrsAccepts(request, index)), delayMs: 150 }));
    try {
      const settings = {
        ...baseSettings(join(dir.path, 'data')),
        EVENT_ROUTER_SQLITE_SYNCHRONOUS: 'full',
        EVENT_ROUTER_DELIVERY_MAX_IN_FLIGHT: 2,
      };
      const first = await startService(dir.path, settings);
      running.push(first);
      await addRouter(first.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
      await waitForRouters(first.url, 1);
      await postEvents(
        first.url,
        events.map((e) => JSON.stringify(e)),
        2000,
      );
      await lrs.waitFor(() => lrs.accepted().length >= 500, 60_000, 'the first deliveries');
      const killed = await first.stop('SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      const beforeRestart = new Set(lrs.acceptedIds()).size;
      assert.ok(beforeRestart < expected.size, `killed before everything was delivered (${beforeRestart})`);

      const second = await startService(dir.path, settings);
      running.push(second);
      await eventually(
        () => new Set(lrs.acceptedIds()).size >= expected.size,
        240_000,
        () => `all ${expected.size} statements after the restart (have ${new Set(lrs.acceptedIds()).size})`,
      );
      const stopped = await second.stop('SIGTERM');
      assert.equal(stopped.code, 0, second.stderr());

      for (const statement of lrs.accepted()) {
        const id = idOf(statement);
        assert.ok(expected.has(id), `unknown statement ${id}`);
        assert.ok(isDeepStrictEqual(statement, expected.get(id)), `statement ${id} changed between deliveries`);
      }
      assert.deepEqual(new Set(lrs.acceptedIds()), new Set(expected.keys()));
    } finally {
      await lrs.close();
    }
  });
});
