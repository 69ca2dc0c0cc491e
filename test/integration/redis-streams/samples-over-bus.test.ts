import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import type { OpenEdxEvent } from '../../../src/core/event.js';
import { readEventFile } from '../../../src/sources/event-bus/event-files.js';
import type { PythonJsonValue } from '../../../src/sources/event-bus/python-json-value.js';
import { createRedisStreamConsumer } from '../../../src/sources/redis-streams/consumer.js';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import { parseEventLine } from '../../../src/sources/tracking-log/line-parser.js';
import { loadStaticLookups } from '../../../src/transforms/shared/static-lookups.js';
import { transformXapi } from '../../../src/transforms/xapi/transform.js';
import { fixtureContext } from '../../support/fixture-context.js';
import { repoRoot } from '../../support/paths.js';
import { DeadLetterRecorder, RecordingSink, serviceMissing, uniqueName, waitUntil } from './bus-test-support.js';
import { connectShared, dropStreams, SHARED_REDIS_URL } from './redis-support.js';

const SAMPLES = join(repoRoot(), 'samples', 'events.ndjson');
const ctx = fixtureContext('valid', { lookups: loadStaticLookups(join(repoRoot(), 'samples', 'lookups.json')) });

/** Every statement of the events, without ids, in a stable order. */
function statementsOf(events: OpenEdxEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const event of events) {
    const outcome = transformXapi(event, ctx);
    if (!outcome.ok) continue;
    // The bus carries the timestamp as isoformat text (`Z` becomes `+00:00`), and the id hashes
    // that text, so ids may differ from the file's; everything else must not.
    for (const { id: _id, ...rest } of outcome.statements) out.push(rest);
  }
  return out.map((s) => JSON.stringify(s)).sort();
}

describe('the samples over the event bus (bus publish → Redis → consumer)', { timeout: 60_000 }, () => {
  let redis: Redis | undefined;
  const stream = uniqueName('samples-analytics');

  before(async () => {
    redis = await connectShared();
  });
  after(async () => {
    if (redis) {
      await dropStreams(redis, stream);
      redis.disconnect();
    }
  });

  it('give the statements a transform of the file gives, 92 of them', async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const events: OpenEdxEvent[] = [];
    const sources: Array<PythonJsonValue | undefined> = [];
    for await (const item of readEventFile(SAMPLES)) {
      assert.equal(item.kind, 'event');
      if (item.kind !== 'event') continue;
      events.push(item.event);
      sources.push(item.source);
    }
    assert.equal(events.length, 81);
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream });
    await publisher.publish(events, sources);
    await publisher.close();

    const sink = new RecordingSink();
    const deadLetters = new DeadLetterRecorder();
    const consumer = createRedisStreamConsumer({
      settings: { url: SHARED_REDIS_URL, stream, group: uniqueName('grp'), consumer: 'c1', blockMs: 200 },
      sink,
      deadLetter: deadLetters.handler,
    });
    await consumer.start();
    try {
      await waitUntil(() => sink.stored.length + deadLetters.entries.length >= 81, 30_000, 'all 81 entries');
    } finally {
      await consumer.stop();
    }
    assert.deepEqual(deadLetters.reasons(), []);

    const direct: OpenEdxEvent[] = [];
    for (const line of readFileSync(SAMPLES, 'utf8').split('\n')) {
      const parsed = parseEventLine(line);
      if (parsed.kind === 'event') direct.push(parsed.event);
    }
    const overBus = statementsOf(sink.stored.map((e) => e.event));
    assert.equal(overBus.length, 92);
    assert.deepEqual(overBus, statementsOf(direct));
  });
});
