import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTrackingLogBody } from '../event-bus/tracking-log-codec.js';
import { TRACKING_EVENT_TYPE } from '../event-bus/tracking-log-schema.js';
import { decodeStreamEntry } from './entry-decoder.js';

const body = encodeTrackingLogBody({ name: 'play_video', timestamp: '2024-05-01T12:34:56+00:00', data: '{}', context: '{}' });
const entry = (fields: Array<[string, string | Buffer]>) => ({
  entryId: '1-0',
  fields: fields.flatMap(([k, v]) => [Buffer.from(k), Buffer.isBuffer(v) ? v : Buffer.from(v)]),
});

describe('decodeStreamEntry', () => {
  it('decodes an edx-event-bus-redis entry', () => {
    const decoded = decodeStreamEntry(
      's',
      entry([
        ['type', TRACKING_EVENT_TYPE],
        ['id', 'u1'],
        ['event_data', body],
      ]),
    );
    assert.deepEqual(decoded, {
      ok: true,
      item: { sourceId: 'redis:s:1-0', messageId: 'u1', event: { name: 'play_video', timestamp: '2024-05-01T12:34:56+00:00', data: {}, context: {} } },
    });
  });

  const cases: Array<[string, Array<[string, string | Buffer]>, string]> = [
    [
      'another signal',
      [
        ['type', 'org.openedx.content_authoring.xblock.deleted.v1'],
        ['event_data', body],
      ],
      'unsupported_event_type',
    ],
    ['no type', [['event_data', body]], 'unsupported_event_type'],
    ['no event_data', [['type', TRACKING_EVENT_TYPE]], 'missing_event_data'],
    [
      'bad Avro',
      [
        ['type', TRACKING_EVENT_TYPE],
        ['event_data', Buffer.from('garbage!')],
      ],
      'malformed_avro',
    ],
  ];
  for (const [label, fields, reason] of cases) {
    it(`dead-letters ${label} as ${reason}, with the raw bytes`, () => {
      const decoded = decodeStreamEntry('s', entry(fields));
      assert.equal(decoded.ok, false);
      if (!decoded.ok) {
        assert.equal(decoded.dead.reason, reason);
        const data = fields.find(([k]) => k === 'event_data')?.[1];
        assert.deepEqual(decoded.dead.bytes, data === undefined ? Buffer.alloc(0) : Buffer.from(data));
      }
    });
  }

  it('dead-letters a trimmed pending entry', () => {
    const decoded = decodeStreamEntry('s', { entryId: '2-0', fields: null });
    assert.equal(!decoded.ok && decoded.dead.reason, 'entry_deleted');
  });
});
