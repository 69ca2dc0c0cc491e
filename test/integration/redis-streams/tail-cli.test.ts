import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { createRedisPublisher } from '../../../src/sources/redis-streams/publisher.js';
import { sampleEvents, serviceMissing, uniqueName } from './bus-test-support.js';
import { connectShared, dropStreams, pendingCount, SHARED_REDIS_URL } from './redis-support.js';

// The real CLI, compiled next to this test (bin/ always loads dist/).
const entry = fileURLToPath(new URL('../control-plane/cli-entry.js', import.meta.url));

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('bus tail (Redis)', { timeout: 60_000 }, () => {
  let redis: Redis | undefined;
  const stream = uniqueName('tail-analytics');

  before(async () => {
    redis = await connectShared();
  });
  after(async () => {
    if (redis) {
      await dropStreams(redis, stream);
      redis.disconnect();
    }
  });

  it('--count n prints n events and acknowledges only those', async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const publisher = createRedisPublisher({ url: SHARED_REDIS_URL, stream, maxLen: 0 });
    try {
      await publisher.publish(sampleEvents(5, 'tail'));
    } finally {
      await publisher.close();
    }
    const group = uniqueName('tail-group');
    const url = `${SHARED_REDIS_URL}?stream=${stream}`;
    const r = await runCli(['bus', 'tail', url, '--group', group, '--count', '2']);
    assert.equal(r.status, 0, r.stderr);
    const printed = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event: { data: { id: string } } });
    assert.deepEqual(
      printed.map((p) => p.event.data.id),
      ['tail-0', 'tail-1'],
    );
    assert.match(r.stderr, /acknowledged 2,/);

    // The other three are still the group's: unread, or read and left pending (never acknowledged).
    const pending = await pendingCount(redis, stream, group);
    const unread = (await redis.xreadgroup('GROUP', group, 'check', 'COUNT', 10, 'STREAMS', stream, '>')) as Array<[string, unknown[]]> | null;
    assert.equal(pending + (unread?.[0]?.[1].length ?? 0), 3);
  });
});
