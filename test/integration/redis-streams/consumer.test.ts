import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { createCountingObserver } from '../../../src/sources/event-bus/observer.js';
import type { BusConsumer } from '../../../src/sources/event-bus/bus-consumer.js';
import { createRedisStreamConsumer } from '../../../src/sources/redis-streams/consumer.js';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import type { RedisConsumerSettings } from '../../../src/sources/redis-streams/settings.js';
import { DeadLetterRecorder, RecordingSink, sampleEvents, serviceMissing, uniqueName, waitUntil } from './bus-test-support.js';
import { connectShared, dropStreams, pendingCount, SHARED_REDIS_URL } from './redis-support.js';

const FAST = { blockMs: 200, backoff: { initialMs: 20, maxMs: 200 }, stopTimeoutMs: 5000 };

describe('Redis Streams consumer (shared redis-server)', { timeout: 120_000 }, () => {
  let redis: Redis | undefined;
  const streams: string[] = [];
  const consumers: BusConsumer[] = [];

  before(async () => {
    redis = await connectShared();
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    if (redis) {
      await dropStreams(redis, ...streams);
      redis.disconnect();
    }
  });

  function names(): { stream: string; group: string } {
    const stream = uniqueName('test-analytics');
    streams.push(stream);
    return { stream, group: uniqueName('grp') };
  }

  function consumer(
    settings: Partial<RedisConsumerSettings>,
    sink: RecordingSink,
    deadLetters = new DeadLetterRecorder(),
    observer = createCountingObserver(),
  ): BusConsumer {
    const c = createRedisStreamConsumer({ settings: { url: SHARED_REDIS_URL, ...FAST, ...settings }, sink, deadLetter: deadLetters.handler, observer });
    consumers.push(c);
    return c;
  }

  it('delivers every published event, acknowledging only after the sink resolved', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    const events = sampleEvents(250);
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    // Published before the group exists: the group starts at 0, so none of them is skipped.
    const published = await publisher.publish(events.slice(0, 120));
    let ackedEarly = 0;
    const sink = new RecordingSink({}, async (batch) => {
      // Every entry of the batch must still be pending while the sink works on it.
      const pending = (await client.xpending(stream, group, '-', '+', 1000)) as Array<[string, ...unknown[]]>;
      const ids = new Set(pending.map((p) => p[0]));
      ackedEarly += batch.filter((e) => !ids.has(e.sourceId.split(':').pop() as string)).length;
    });
    const observer = createCountingObserver();
    const c = consumer({ stream, group, consumer: 'c1', batchSize: 100 }, sink, undefined, observer);
    await c.start();
    await c.whenReady();
    published.push(...(await publisher.publish(events.slice(120))));
    await publisher.close();

    await waitUntil(() => sink.stored.length >= 250, 15_000, '250 events');
    await waitUntil(async () => (await pendingCount(client, stream, group)) === 0, 5000, 'all acknowledged');
    await c.stop();
    assert.equal(ackedEarly, 0);
    assert.equal(sink.stored.length, 250);
    assert.deepEqual(
      sink.stored.map((e) => e.event['data']),
      events.map((e) => e['data']),
    );
    // The timestamp text is kept exactly (statement ids hash it).
    assert.deepEqual(
      sink.stored.map((e) => e.event['timestamp']),
      events.map((e) => e['timestamp']),
    );
    assert.deepEqual(
      sink.stored.map((e) => e.messageId),
      published.map((p) => p.metadata.id),
    );
    assert.deepEqual(
      sink.stored.map((e) => e.sourceId),
      published.map((p) => `redis:${stream}:${p.entryId}`),
    );
    assert.equal(observer.counters.acked, 250);
    assert.ok(sink.calls >= 3, 'bounded reads: at most batchSize entries per sink call');
  });

  it('leaves entries pending while the sink rejects, then delivers them', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    let pendingDuringOutage = -1;
    const sink = new RecordingSink({ rejectCalls: (call) => call < 3 });
    const observer = createCountingObserver();
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    await publisher.publish(sampleEvents(10));
    await publisher.close();
    const c = consumer({ stream, group, consumer: 'c1' }, sink, undefined, observer);
    await c.start();
    await waitUntil(() => sink.rejections >= 1, 10_000, 'a rejection');
    pendingDuringOutage = await pendingCount(client, stream, group);
    await waitUntil(() => sink.stored.length >= 10, 10_000, 'redelivery');
    await waitUntil(async () => (await pendingCount(client, stream, group)) === 0, 5000, 'all acknowledged');
    await c.stop();
    assert.equal(pendingDuringOutage, 10);
    assert.equal(sink.stored.length, 10);
    assert.equal(sink.rejections, 3);
    assert.ok(observer.counters.failures.some((f) => f.stage === 'sink'));
    assert.equal(observer.counters.acked, 10);
  });

  it("takes over a dead consumer's pending entries with XAUTOCLAIM", { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    await client.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    await publisher.publish(sampleEvents(20));
    await publisher.close();
    // A consumer that read the entries and died before acknowledging them.
    await client.xreadgroup('GROUP', group, 'dead-consumer', 'COUNT', 100, 'STREAMS', stream, '>');
    assert.equal(await pendingCount(client, stream, group), 20);

    const sink = new RecordingSink();
    const observer = createCountingObserver();
    const c = consumer({ stream, group, consumer: 'survivor', claimMinIdleMs: 300, claimIntervalMs: 100 }, sink, undefined, observer);
    await c.start();
    await waitUntil(() => sink.stored.length >= 20, 10_000, 'reclaimed entries');
    await waitUntil(async () => (await pendingCount(client, stream, group)) === 0, 5000, 'all acknowledged');
    await c.stop();
    assert.equal(sink.stored.length, 20);
    assert.equal(observer.counters.reclaimed, 20);
  });

  it('reads its own pending entries again first after a restart, and what was produced meanwhile', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    const first = new RecordingSink();
    const c1 = consumer({ stream, group, consumer: 'c1' }, first);
    await c1.start();
    await c1.whenReady();
    await publisher.publish(sampleEvents(5, 'a'));
    await waitUntil(() => first.stored.length >= 5, 10_000, 'first events');
    await c1.stop();

    // While the router is down: entries are produced, and c1 "had read" some without acknowledging.
    await publisher.publish(sampleEvents(6, 'b'));
    await client.xreadgroup('GROUP', group, 'c1', 'COUNT', 2, 'STREAMS', stream, '>');
    await publisher.close();

    const second = new RecordingSink();
    const c2 = consumer({ stream, group, consumer: 'c1', claimMinIdleMs: 600_000 }, second);
    await c2.start();
    await waitUntil(() => second.stored.length >= 6, 10_000, 'events produced while down');
    await c2.stop();
    assert.deepEqual(
      second.stored.map((e) => (e.event['data'] as { id: string }).id),
      ['b-0', 'b-1', 'b-2', 'b-3', 'b-4', 'b-5'],
    );
    assert.equal(await pendingCount(client, stream, group), 0);
  });

  it('dead-letters poison entries with their bytes and reason, and keeps flowing', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    const type = 'org.openedx.analytics.tracking.event.emitted.v1';
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    const { encodeTrackingLogBody } = await import('../../../src/sources/event-bus/tracking-log-codec.js');
    await publisher.publish(sampleEvents(1, 'before'));
    await publisher.publishRaw([
      ['type', type],
      ['id', 'bad-avro'],
      ['event_data', Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])],
    ]);
    await publisher.publishRaw([
      ['type', 'org.openedx.content_authoring.xblock.deleted.v1'],
      ['id', 'other'],
      ['event_data', Buffer.from([2, 0x41])],
    ]);
    await publisher.publishRaw([
      ['type', type],
      ['id', 'no-data'],
    ]);
    await publisher.publishRaw([
      ['type', type],
      ['id', 'bad-json'],
      ['event_data', encodeTrackingLogBody({ name: 'play_video', timestamp: 't', data: '{not json', context: '{}' })],
    ]);
    // Python's json.dumps writes bare NaN: accepted.
    await publisher.publishRaw([
      ['type', type],
      ['id', 'nan'],
      ['event_data', encodeTrackingLogBody({ name: 'play_video', timestamp: '2024-05-01T00:00:00+00:00', data: '{"currentTime": NaN}', context: '{}' })],
    ]);
    await publisher.publish(sampleEvents(1, 'after'));
    await publisher.close();

    const sink = new RecordingSink();
    const deadLetters = new DeadLetterRecorder(1); // the dead-letter store fails once: retried
    const observer = createCountingObserver();
    const c = consumer({ stream, group, consumer: 'c1' }, sink, deadLetters, observer);
    await c.start();
    await waitUntil(() => sink.stored.length >= 3 && deadLetters.entries.length >= 4, 10_000, 'good and poison entries');
    await waitUntil(async () => (await pendingCount(client, stream, group)) === 0, 5000, 'all acknowledged');
    await c.stop();

    assert.deepEqual(deadLetters.reasons(), ['invalid_json', 'malformed_avro', 'missing_event_data', 'unsupported_event_type']);
    const badAvro = deadLetters.entries.find((e) => e.reason === 'malformed_avro');
    assert.deepEqual(badAvro?.bytes, Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
    assert.equal(badAvro?.fields['id'], 'bad-avro');
    assert.match(badAvro?.sourceId ?? '', new RegExp(`^redis:${stream}:\\d+-\\d+$`));
    assert.deepEqual(observer.counters.poison, { malformed_avro: 1, unsupported_event_type: 1, missing_event_data: 1, invalid_json: 1 });
    const ids = sink.stored.map((e) => e.messageId);
    assert.equal(ids.length, 3);
    assert.equal(ids[1], 'nan');
    assert.ok(Number.isNaN((sink.stored[1]?.event['data'] as { currentTime: number }).currentTime));
  });

  it('dead-letters pending entries that were trimmed away (entry_deleted)', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    await client.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    await publisher.publish(sampleEvents(3));
    await publisher.close();
    await client.xreadgroup('GROUP', group, 'c1', 'COUNT', 10, 'STREAMS', stream, '>');
    await client.xtrim(stream, 'MAXLEN', 0);
    const sink = new RecordingSink();
    const deadLetters = new DeadLetterRecorder();
    const c = consumer({ stream, group, consumer: 'c1' }, sink, deadLetters);
    await c.start();
    await waitUntil(() => deadLetters.entries.length >= 3, 10_000, 'dead letters');
    await waitUntil(async () => (await pendingCount(client, stream, group)) === 0, 5000, 'all acknowledged');
    await c.stop();
    assert.deepEqual(deadLetters.reasons(), ['entry_deleted', 'entry_deleted', 'entry_deleted']);
    assert.equal(sink.stored.length, 0);
  });

  it('reconnects after its connection is killed and goes on consuming', { timeout: 30_000 }, async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const client = redis;
    const { stream, group } = names();
    const name = uniqueName('killme');
    const sink = new RecordingSink();
    const c = consumer({ stream, group, consumer: name }, sink);
    await c.start();
    await c.whenReady();
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    await publisher.publish(sampleEvents(5, 'a'));
    await waitUntil(() => sink.stored.length >= 5, 10_000, 'first events');
    const list = String(await client.client('LIST'));
    const ids = list
      .split('\n')
      .filter((line) => line.includes(`name=edx-event-router:${name}`))
      .map((line) => /id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    assert.equal(ids.length, 1, 'the consumer names its connection');
    // Only this consumer's connection: the shared server serves other tests too.
    for (const id of ids) await client.client('KILL', 'ID', id);
    await publisher.publish(sampleEvents(5, 'b'));
    await publisher.close();
    await waitUntil(() => sink.stored.length >= 10, 10_000, 'events after the reconnect');
    await c.stop();
    assert.deepEqual([...new Set(sink.stored.map((e) => (e.event['data'] as { id: string }).id))].sort(), [
      'a-0',
      'a-1',
      'a-2',
      'a-3',
      'a-4',
      'b-0',
      'b-1',
      'b-2',
      'b-3',
      'b-4',
    ]);
  });
});
