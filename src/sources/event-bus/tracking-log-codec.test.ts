import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import avro from 'avsc';
import { decodeTrackingLogBody, encodeTrackingLogBody } from './tracking-log-codec.js';
import { trackingLogType } from './tracking-log-schema.js';

const log = { name: 'play_video', timestamp: '2024-05-01T12:34:56.123456+00:00', data: '{"a": 1}', context: '{}' };

describe('tracking-log Avro body', () => {
  it('is the four strings in schema order, zig-zag length prefixed (event-bus doc §A.4 example)', () => {
    const bytes = encodeTrackingLogBody(log);
    assert.equal(bytes.subarray(0, 16).toString('hex'), '14706c61795f766964656f4032303234');
    assert.equal(bytes.length, 1 + 10 + 1 + 32 + 1 + 8 + 1 + 2);
  });

  it('round-trips', () => {
    assert.deepEqual(decodeTrackingLogBody(encodeTrackingLogBody(log)), { ok: true, value: log });
  });

  it('keeps non-ASCII text (UTF-8 bytes inside the strings)', () => {
    const text = { ...log, data: '{"t": "é ✓ 😀"}' };
    assert.deepEqual(decodeTrackingLogBody(encodeTrackingLogBody(text)), { ok: true, value: text });
  });

  for (const [label, bytes] of [
    ['trailing bytes', Buffer.concat([encodeTrackingLogBody(log), Buffer.from([0])])],
    ['a truncated body', encodeTrackingLogBody(log).subarray(0, 20)],
    ['random bytes', Buffer.from('ffffffffffffffffff01', 'hex')],
    ['an empty buffer', Buffer.alloc(0)],
  ] as const) {
    it(`reports ${label} as malformed_avro`, () => {
      const outcome = decodeTrackingLogBody(bytes);
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.reason, 'malformed_avro');
    });
  }

  it('reads a compatible writer schema through a resolver (a field added with a default)', () => {
    const writer = avro.Type.forSchema({
      type: 'record',
      name: 'CloudEvent',
      namespace: 'org.openedx.analytics.tracking.event.emitted.v1',
      fields: [
        {
          name: 'tracking_log',
          type: {
            type: 'record',
            name: 'TrackingLogData',
            fields: [
              { name: 'name', type: 'string' },
              { name: 'timestamp', type: 'string' },
              { name: 'extra', type: ['null', 'string'], default: null },
              { name: 'data', type: 'string' },
              { name: 'context', type: 'string' },
            ],
          },
        },
      ],
    });
    const bytes = writer.toBuffer({ tracking_log: { ...log, extra: 'x' } });
    const resolver = trackingLogType().createResolver(writer);
    assert.deepEqual(decodeTrackingLogBody(bytes, resolver), { ok: true, value: log });
  });
});
