import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import type { Redis } from 'ioredis';
import { registerBusCommands } from '../../../src/cli/commands/bus.js';
import { decodeTrackingLogBody } from '../../../src/sources/event-bus/tracking-log-codec.js';
import { serviceMissing, uniqueName } from './bus-test-support.js';
import { connectShared, dropStreams, SHARED_REDIS_URL } from './redis-support.js';

async function runCli(args: string[]): Promise<number> {
  const program = new Command('edx-event-router').exitOverride();
  registerBusCommands(program);
  process.exitCode = undefined;
  await program.parseAsync(args, { from: 'user' });
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return code;
}

describe('bus publish (Redis)', { timeout: 30_000 }, () => {
  let redis: Redis | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bus-publish-'));
  const stream = uniqueName('cli-analytics');

  before(async () => {
    redis = await connectShared();
  });
  after(async () => {
    if (redis) {
      await dropStreams(redis, stream);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes entries field for field as edx-event-bus-redis does', async (t) => {
    if (!redis) return serviceMissing(t, `no Redis at ${SHARED_REDIS_URL}`);
    const file = join(dir, 'tracking.log');
    writeFileSync(
      file,
      [
        // A tracking.log line (logger prefix, `event` as JSON text, `time`, the shim's fields).
        '2024-05-01 12:34:56,123 INFO 20 [tracking] [user 3] [ip 1.2.3.4] logger.py:41 - ' +
          JSON.stringify({
            name: 'play_video',
            time: '2024-05-01T12:34:56.123456+00:00',
            event: '{"id": "x", "currentTime": 1.0}',
            context: { user_id: 3, path: '/event' },
            username: 'edx',
            referer: 'http://lms/x',
            event_source: 'browser',
          }),
        // A live-shape event with non-ASCII text, Python's number spellings and a Z timestamp.
        '{"name": "edx.course.enrollment.activated", "timestamp": "2024-05-01T00:00:00Z", ' +
          '"data": {"course_id": "c", "title": "Grüße", "2": 1.0, "1": 1e-07, "big": 12345678901234567890, "nan": NaN}, "context": {}}',
        // No context at all: the producer sends json.dumps(None).
        '{"name": "edx.course.enrollment.deactivated", "timestamp": "2024-05-01T00:00:00.000001+00:00", "data": {"course_id": "c"}}',
        'not an event',
        '',
      ].join('\n'),
    );
    const code = await runCli(['bus', 'publish', '--redis', SHARED_REDIS_URL, '--stream', stream, '--sourcehost', 'lms-1', '--maxlen', '1000', file]);
    assert.equal(code, 1, 'exit 1: one input line was not an event');

    const entries = (await redis.xrangeBuffer(stream, '-', '+')) as Array<[Buffer, Buffer[]]>;
    assert.equal(entries.length, 3);
    const fields = (entries[0] as [Buffer, Buffer[]])[1];
    const names = fields.filter((_, i) => i % 2 === 0).map((b) => b.toString());
    assert.deepEqual(names, ['type', 'id', 'source', 'time', 'minorversion', 'sourcehost', 'sourcelib', 'event_data']);
    const value = (name: string): Buffer => fields[names.indexOf(name) * 2 + 1] as Buffer;
    assert.equal(value('type').toString(), 'org.openedx.analytics.tracking.event.emitted.v1');
    assert.match(value('id').toString(), /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(value('source').toString(), 'openedx/lms/web');
    assert.match(value('time').toString(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.equal(value('minorversion').toString(), '0');
    assert.equal(value('sourcehost').toString(), 'lms-1');
    assert.equal(value('sourcelib').toString(), '11.2.0');
    assert.deepEqual(decodeTrackingLogBody(value('event_data')), {
      ok: true,
      value: {
        name: 'play_video',
        timestamp: '2024-05-01T12:34:56.123456+00:00',
        data: '{"id": "x", "currentTime": 1.0}',
        context: '{"user_id": 3, "path": "/event", "username": "edx", "referer": "http://lms/x", "event_source": "browser"}',
      },
    });
    const second = (entries[1] as [Buffer, Buffer[]])[1];
    assert.deepEqual(decodeTrackingLogBody(second[15] as Buffer), {
      ok: true,
      value: {
        name: 'edx.course.enrollment.activated',
        timestamp: '2024-05-01T00:00:00+00:00',
        data: '{"course_id": "c", "title": "Gr\\u00fc\\u00dfe", "2": 1.0, "1": 1e-07, "big": 12345678901234567890, "nan": NaN}',
        context: '{}',
      },
    });
    const third = (entries[2] as [Buffer, Buffer[]])[1];
    assert.deepEqual(decodeTrackingLogBody(third[15] as Buffer), {
      ok: true,
      value: {
        name: 'edx.course.enrollment.deactivated',
        timestamp: '2024-05-01T00:00:00.000001+00:00',
        data: '{"course_id": "c"}',
        context: 'null',
      },
    });
  });
});
