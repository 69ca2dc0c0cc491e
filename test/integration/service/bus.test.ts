import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { normalizeEvent } from '../../../src/core/event.js';
import { eventToTrackingLog, trackingLogToEvent } from '../../../src/sources/event-bus/tracking-log-event.js';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import { idOf, startFakeLrs } from '../../fakes/fake-lrs.js';
import { connectShared, dropStreams, SHARED_REDIS_URL } from '../redis-streams/redis-support.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { baseSettings, eventually, metric, runCli, scratch, startService, type RunningService } from './support.js';

/**
 * `serve --bus redis://…` and `consume --bus redis://…` (issue #5): the event-bus consumer feeds
 * the same inbox and pipeline; statements reach the LRS. Needs the shared redis-server on
 * 127.0.0.1:6379 (REDIS_URL): skipped with a reason when it is not there, failed under CI=true.
 */
const dir = scratch('bus');
const running: RunningService[] = [];
after(async () => {
  for (const service of running) if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

function missing(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: integration services must be available)`);
  process.stderr.write(`# skipping "${t.name}": ${reason}\n`);
  t.skip(reason);
}

for (const command of ['serve', 'consume'] as const) {
  describe(`${command} --bus redis://`, () => {
    it('consumes the stream into the pipeline and delivers to the router', { timeout: 120_000 }, async (t) => {
      const redis = await connectShared();
      if (redis === undefined) return missing(t, `no redis-server at ${SHARED_REDIS_URL}`);
      const stream = `svc-test-${randomUUID()}`;
      const lrs = await startFakeLrs();
      try {
        const dataDir = join(dir.path, `data-${command}`);
        const added = await runCli(['routers', 'add', '--data-dir', dataDir, '--backend', 'xapi', '--url', `${lrs.url}xapi/`]);
        assert.equal(added.code, 0, added.stderr);
        const url = `${SHARED_REDIS_URL}?stream=${stream}&group=svc-test&consumer=c1`;
        const service = await startService(dir.path, { ...baseSettings(dataDir), EVENT_ROUTER_BUS_URL: url }, { command, name: command });
        running.push(service);
        // Live-shape events (data, timestamp), as edx-platform puts them on the bus.
        const events = buildEvents(300).flatMap((e) => {
          const normalized = normalizeEvent(e);
          return normalized.ok ? [normalized.event] : [];
        });
        const publisher = createRedisPublisher({ client: redis, stream, maxLen: 0 });
        await publisher.publish(events);
        await publisher.close();
        // What travels on the bus is name, timestamp (Python isoformat), data and context.
        const ctx = serviceContext();
        const expected = new Set(
          events
            .flatMap((e) => {
              const decoded = trackingLogToEvent(eventToTrackingLog(e));
              return decoded.ok ? transformed('xapi', decoded.value, ctx) : [];
            })
            .map(idOf),
        );
        await eventually(
          () => [...expected].every((id) => lrs.acceptedIds().includes(id)),
          90_000,
          () => `${expected.size} statements from the bus (have ${new Set(lrs.acceptedIds()).size}; stderr: ${service.stderr()})`,
        );
        assert.equal(await metric(service.url, 'edx_event_router_events_received_total', { source: 'bus' }), 300);
        assert.ok((await metric(service.url, 'edx_event_router_bus_acked_total')) >= 300);
        assert.equal((await service.stop('SIGTERM')).code, 0, service.stderr());
      } finally {
        await dropStreams(redis, stream);
        redis.disconnect();
        await lrs.close();
      }
    });
  });
}
