import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerBusCommands } from '../../../src/cli/commands/bus.js';
import { createKafkaConsumer } from '../../../src/sources/kafka/consumer.js';
import { DeadLetterRecorder, RecordingSink, sampleEvents, serviceMissing, uniqueName, waitUntil } from '../redis-streams/bus-test-support.js';
import { FakeRegistry } from './fake-registry.js';
import { MockCluster, mockClusterBinary } from './mock-cluster.js';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

describe('bus publish (Kafka)', { timeout: 60_000 }, () => {
  const topic = uniqueName('cli-analytics');
  const registry = new FakeRegistry();
  let cluster: MockCluster | undefined;
  let unavailable = '';
  const dir = mkdtempSync(join(tmpdir(), 'bus-publish-kafka-'));

  before(async () => {
    await registry.start();
    const binary = mockClusterBinary();
    if (binary.ok) cluster = await MockCluster.start(binary.path, [{ name: topic, partitions: 1 }]);
    else unavailable = binary.reason;
  });
  after(async () => {
    await cluster?.stop();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produces what the consumer reads', { timeout: 30_000 }, async (t) => {
    if (!cluster) return serviceMissing(t, unavailable);
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(sampleEvents(4, 'cli'), null, 2));
    const program = new Command('edx-event-router').exitOverride();
    registerBusCommands(program);
    process.exitCode = undefined;
    await program.parseAsync(['bus', 'publish', '--kafka', cluster.brokers.join(','), '--registry', registry.url, '--stream', topic, file], { from: 'user' });
    assert.equal(process.exitCode ?? 0, 0);

    const sink = new RecordingSink();
    const consumer = createKafkaConsumer({
      settings: {
        brokers: cluster.brokers,
        topic,
        groupId: uniqueName('grp'),
        schemaRegistryUrl: registry.url,
        sessionTimeoutMs: 3000,
        rebalanceTimeoutMs: 3000,
        heartbeatIntervalMs: 300,
        maxWaitTimeMs: 200,
      },
      sink,
      deadLetter: new DeadLetterRecorder().handler,
    });
    await consumer.start();
    try {
      await waitUntil(() => sink.stored.length >= 4, 20_000, 'the 4 published events');
    } finally {
      await consumer.stop();
    }
    assert.deepEqual(
      sink.stored.map((e) => (e.event['data'] as { id: string }).id),
      ['cli-0', 'cli-1', 'cli-2', 'cli-3'],
    );
  });
});
