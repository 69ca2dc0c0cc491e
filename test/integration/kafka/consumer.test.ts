import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import avro from 'avsc';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { BusConsumer } from '../../../src/sources/event-bus/bus-consumer.js';
import { createCountingObserver } from '../../../src/sources/event-bus/observer.js';
import { encodeTrackingLogBody } from '../../../src/sources/event-bus/tracking-log-codec.js';
import { TRACKING_EVENT_TYPE } from '../../../src/sources/event-bus/tracking-log-schema.js';
import { createKafkaConsumer } from '../../../src/sources/kafka/consumer.js';
import { confluentFrame } from '../../../src/sources/kafka/framing.js';
import { createKafkaPublisher, type KafkaPublisher } from '../../../src/sources/kafka/publisher.js';
import { createSchemaRegistryClient } from '../../../src/sources/kafka/schema-registry.js';
import type { KafkaConsumerSettings } from '../../../src/sources/kafka/settings.js';
import { DeadLetterRecorder, RecordingSink, sampleEvents, serviceMissing, uniqueName, waitUntil } from '../redis-streams/bus-test-support.js';
import { FakeRegistry } from './fake-registry.js';
import { MockCluster, mockClusterBinary } from './mock-cluster.js';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

// Group timings tuned for librdkafka's mock (docs: event-bus-and-stack.md, last section).
const TUNED: Partial<KafkaConsumerSettings> = {
  sessionTimeoutMs: 3000,
  rebalanceTimeoutMs: 3000,
  heartbeatIntervalMs: 300,
  maxWaitTimeMs: 200,
  backoff: { initialMs: 50, maxMs: 300 },
  stopTimeoutMs: 10_000,
};

const TOPICS = {
  wire: uniqueName('wire-analytics'),
  all: uniqueName('all-analytics'),
  reject: uniqueName('reject-analytics'),
  restart: uniqueName('restart-analytics'),
  poison: uniqueName('poison-analytics'),
  outage: uniqueName('outage-analytics'),
};

describe('Kafka consumer (librdkafka mock cluster)', { timeout: 180_000 }, () => {
  let cluster: MockCluster | undefined;
  let unavailable = '';
  const registry = new FakeRegistry();
  const consumers: BusConsumer[] = [];
  const publishers: KafkaPublisher[] = [];
  let admin: Admin | undefined;

  before(async () => {
    await registry.start();
    const binary = mockClusterBinary();
    if (!binary.ok) {
      unavailable = binary.reason;
      return;
    }
    cluster = await MockCluster.start(binary.path, [
      { name: TOPICS.wire, partitions: 1 },
      { name: TOPICS.all, partitions: 3 },
      { name: TOPICS.reject, partitions: 1 },
      { name: TOPICS.restart, partitions: 2 },
      { name: TOPICS.poison, partitions: 1 },
      { name: TOPICS.outage, partitions: 1 },
    ]);
    admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await Promise.all(publishers.map((p) => p.close()));
    await admin?.disconnect();
    await cluster?.stop();
    await registry.stop();
  });

  function publisher(topic: string): KafkaPublisher {
    const p = createKafkaPublisher({
      connection: { brokers: cluster?.brokers ?? [], clientId: 'test-publisher' },
      topic,
      registry: createSchemaRegistryClient({ url: registry.url }),
    });
    publishers.push(p);
    return p;
  }

  function consumer(
    topic: string,
    groupId: string,
    sink: RecordingSink,
    deadLetters = new DeadLetterRecorder(),
    observer = createCountingObserver(),
  ): BusConsumer {
    const c = createKafkaConsumer({
      settings: { ...TUNED, brokers: cluster?.brokers ?? [], topic, groupId, schemaRegistryUrl: registry.url },
      sink,
      deadLetter: deadLetters.handler,
      observer,
    });
    consumers.push(c);
    return c;
  }

  async function committed(groupId: string, topic: string): Promise<number[]> {
    const offsets = await (admin as Admin).fetchOffsets({ groupId, topics: [topic] });
    return (offsets[0]?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  }

  const total = (offsets: number[]): number => offsets.reduce((sum, o) => sum + Math.max(0, o), 0);

  it('produces like edx-event-bus-kafka: framed key and value, ce_* headers', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    const events = sampleEvents(3);
    const metadata = await publisher(TOPICS.wire).publish(events);
    const raw: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, string> }> = [];
    const kafka = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: uniqueName('raw'), sessionTimeout: 3000, rebalanceTimeout: 3000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topics: [TOPICS.wire], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        raw.push({ key: message.key, value: message.value, headers });
      },
    });
    try {
      await waitUntil(() => raw.length >= 3, 15_000, 'raw messages');
    } finally {
      await reader.disconnect();
    }
    // The key schema text the publisher registered (Python json.dumps, sorted keys).
    const keyId = registry.add('{"name": "name", "type": "string"}');
    const first = raw[0];
    assert.ok(first?.key && first.value);
    assert.equal(first.key[0], 0);
    assert.equal(first.key.readUInt32BE(1), keyId);
    assert.equal(avro.Type.forSchema('string').fromBuffer(first.key.subarray(5)), 'play_video');
    assert.equal(first.value[0], 0);
    assert.deepEqual(first.headers, {
      ce_type: TRACKING_EVENT_TYPE,
      ce_id: metadata[0]?.id,
      ce_source: 'openedx/lms/web',
      ce_specversion: '1.0',
      ce_time: metadata[0]?.time,
      ce_minorversion: '0',
      sourcehost: metadata[0]?.sourcehost,
      sourcelib: '11.2.0',
      'content-type': 'application/avro',
      ce_datacontenttype: 'application/avro',
    });
    assert.match(metadata[0]?.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
  });

  it('consumes every event of a 3-partition topic and commits what the sink stored', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    const events = sampleEvents(60);
    const metadata = await publisher(TOPICS.all).publish(events);
    const groupId = uniqueName('grp');
    const sink = new RecordingSink();
    const observer = createCountingObserver();
    const c = consumer(TOPICS.all, groupId, sink, undefined, observer);
    await c.start();
    await waitUntil(() => sink.stored.length >= 60, 20_000, '60 events');
    await waitUntil(async () => total(await committed(groupId, TOPICS.all)) === 60, 5000, 'offsets committed');
    await c.stop();
    assert.deepEqual([...sink.messageIds()].sort(), metadata.map((m) => m.id).sort());
    const byId = new Map(events.map((e) => [(e['data'] as { id: string }).id, e]));
    for (const stored of sink.stored) {
      const original = byId.get((stored.event['data'] as { id: string }).id);
      assert.deepEqual(stored.event, original);
      assert.match(stored.sourceId, new RegExp(`^kafka:${TOPICS.all}:[0-2]:\\d+$`));
    }
    assert.equal(observer.counters.acked, 60);
  });

  it('commits nothing while the sink rejects, and redelivers', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    await publisher(TOPICS.reject).publish(sampleEvents(10));
    const groupId = uniqueName('grp');
    const sink = new RecordingSink({ rejectCalls: (call) => call < 3 });
    const observer = createCountingObserver();
    const c = consumer(TOPICS.reject, groupId, sink, undefined, observer);
    await c.start();
    await waitUntil(() => sink.rejections >= 1, 15_000, 'a rejection');
    const duringOutage = total(await committed(groupId, TOPICS.reject));
    await waitUntil(() => sink.stored.length >= 10, 15_000, 'redelivery');
    await waitUntil(async () => total(await committed(groupId, TOPICS.reject)) === 10, 5000, 'offsets committed');
    await c.stop();
    assert.equal(duringOutage, 0);
    assert.equal(sink.stored.length, 10);
    assert.equal(sink.rejections, 3);
    assert.ok(observer.counters.failures.some((f) => f.stage === 'sink'));
  });

  it('resumes from the committed offsets after a restart', { timeout: 40_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    const pub = publisher(TOPICS.restart);
    await pub.publish(sampleEvents(20, 'first'));
    const groupId = uniqueName('grp');
    const first = new RecordingSink();
    const c1 = consumer(TOPICS.restart, groupId, first);
    await c1.start();
    await waitUntil(() => first.stored.length >= 20, 20_000, 'first 20');
    await waitUntil(async () => total(await committed(groupId, TOPICS.restart)) === 20, 5000, 'offsets committed');
    await c1.stop();

    await pub.publish(sampleEvents(10, 'second'));
    const second = new RecordingSink();
    const c2 = consumer(TOPICS.restart, groupId, second);
    await c2.start();
    await waitUntil(() => second.stored.length >= 10, 20_000, 'the 10 new events');
    await waitUntil(async () => total(await committed(groupId, TOPICS.restart)) === 30, 5000, 'offsets committed');
    await c2.stop();
    assert.deepEqual(second.stored.map((e) => (e.event['data'] as { id: string }).id).sort(), Array.from({ length: 10 }, (_, i) => `second-${i}`).sort());
  });

  it('dead-letters poison messages with reason and bytes, and keeps flowing', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    const pub = publisher(TOPICS.poison);
    await pub.publish(sampleEvents(1, 'before'));
    const headers = { ce_type: TRACKING_EVENT_TYPE, ce_id: 'x' };
    const goodBody = encodeTrackingLogBody({ name: 'play_video', timestamp: 't', data: '{}', context: '{}' });
    const valueId = registry.add(JSON.stringify({ type: 'record', name: 'Other', fields: [{ name: 'n', type: 'int' }] }));
    await pub.publishRaw([
      { value: Buffer.from('not framed'), headers: { ...headers, ce_id: 'bad-framing' } },
      { value: confluentFrame(1, goodBody), headers: { ce_type: 'org.openedx.learning.course.enrollment.created.v1', ce_id: 'other-type' } },
      { value: confluentFrame(1, goodBody), headers: { ce_id: 'no-type' } },
      { value: confluentFrame(999, goodBody), headers: { ...headers, ce_id: 'unknown-schema' } },
      { value: confluentFrame(valueId, Buffer.from([2])), headers: { ...headers, ce_id: 'incompatible' } },
      { value: null, headers: { ...headers, ce_id: 'no-value' } },
    ]);
    await pub.publish(sampleEvents(1, 'after'));
    const groupId = uniqueName('grp');
    const sink = new RecordingSink();
    const deadLetters = new DeadLetterRecorder();
    const observer = createCountingObserver();
    const c = consumer(TOPICS.poison, groupId, sink, deadLetters, observer);
    await c.start();
    await waitUntil(() => sink.stored.length >= 2 && deadLetters.entries.length >= 6, 20_000, 'good and poison messages');
    await waitUntil(async () => total(await committed(groupId, TOPICS.poison)) === 8, 5000, 'offsets committed');
    await c.stop();
    assert.deepEqual(deadLetters.reasons(), [
      'bad_framing',
      'incompatible_schema',
      'missing_event_data',
      'unknown_schema',
      'unsupported_event_type',
      'unsupported_event_type',
    ]);
    const badFraming = deadLetters.entries.find((e) => e.reason === 'bad_framing');
    assert.deepEqual(badFraming?.bytes, Buffer.from('not framed'));
    assert.equal(badFraming?.fields['ce_id'], 'bad-framing');
    assert.deepEqual(observer.counters.poison, {
      bad_framing: 1,
      unsupported_event_type: 2,
      unknown_schema: 1,
      incompatible_schema: 1,
      missing_event_data: 1,
    });
    assert.deepEqual(
      sink.stored.map((e) => (e.event['data'] as { id: string }).id),
      ['before-0', 'after-0'],
    );
  });

  it('retries while the schema registry is unavailable instead of dead-lettering', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    await publisher(TOPICS.outage).publish(sampleEvents(5));
    registry.failNext = 3;
    const groupId = uniqueName('grp');
    const sink = new RecordingSink();
    const deadLetters = new DeadLetterRecorder();
    const observer = createCountingObserver();
    const c = consumer(TOPICS.outage, groupId, sink, deadLetters, observer);
    await c.start();
    await waitUntil(() => sink.stored.length >= 5, 20_000, 'events after the outage');
    await c.stop();
    assert.equal(registry.failNext, 0);
    assert.equal(deadLetters.entries.length, 0);
    assert.ok(observer.counters.failures.some((f) => f.stage === 'decode'));
  });
});
