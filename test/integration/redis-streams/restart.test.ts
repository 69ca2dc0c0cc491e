import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createCountingObserver } from '../../../src/sources/event-bus/observer.js';
import { createRedisStreamConsumer } from '../../../src/sources/redis-streams/consumer.js';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import { DeadLetterRecorder, RecordingSink, sampleEvents, serviceMissing, uniqueName, waitUntil } from './bus-test-support.js';
import { pendingCount, PrivateRedis, redisServerAvailable } from './redis-support.js';

// The shared server keeps nothing on disk, so this test restarts a private redis-server of its own
// (random port, append-only file in a temp dir) and leaves the shared one alone.
describe('Redis Streams consumer across a Redis restart', { timeout: 60_000 }, () => {
  const server = new PrivateRedis();
  after(() => server.destroy());

  it('reconnects and resumes; every published event is stored, none lost', { timeout: 45_000 }, async (t) => {
    if (!redisServerAvailable()) return serviceMissing(t, 'redis-server is not installed');
    await server.start();
    const stream = uniqueName('restart-analytics');
    const group = 'event_routing_backends';
    const before = sampleEvents(200, 'before');
    const afterRestart = sampleEvents(50, 'after');

    const publisher = createRedisPublisher({ url: server.url, stream });
    const publishedIds = (await publisher.publish(before)).map((p) => p.metadata.id);
    await publisher.close();

    // A slow sink keeps the consumer busy while Redis goes away.
    const sink = new RecordingSink({ delayMs: 15 });
    const observer = createCountingObserver();
    const consumer = createRedisStreamConsumer({
      settings: { url: server.url, stream, group, consumer: 'c1', batchSize: 10, blockMs: 200, backoff: { initialMs: 20, maxMs: 300 } },
      sink,
      deadLetter: new DeadLetterRecorder().handler,
      observer,
    });
    await consumer.start();
    try {
      await waitUntil(() => sink.stored.length >= 50, 15_000, 'consumption under way');
      await server.stop();
      const storedWhileDown = sink.stored.length;
      assert.ok(storedWhileDown < 200, 'Redis went down in the middle of consumption');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await server.start();

      const publisher2 = createRedisPublisher({ url: server.url, stream });
      publishedIds.push(...(await publisher2.publish(afterRestart)).map((p) => p.metadata.id));
      await publisher2.close();

      await waitUntil(() => publishedIds.every((id) => sink.messageIds().has(id)), 20_000, 'every published event');
      const check = new Redis(server.url);
      try {
        await waitUntil(async () => (await pendingCount(check, stream, group)) === 0, 5000, 'all acknowledged');
        assert.equal(await check.xlen(stream), 250);
      } finally {
        check.disconnect();
      }
    } finally {
      await consumer.stop();
    }
    assert.equal(sink.messageIds().size, 250);
    // At least once: an acknowledgement lost with the connection may redeliver a few entries.
    assert.ok(sink.stored.length - 250 <= 10, `few duplicates (${sink.stored.length - 250})`);
    assert.ok(
      observer.counters.failures.some((f) => f.stage === 'connect'),
      'the outage was reported',
    );
  });
});
