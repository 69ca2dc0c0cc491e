import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAMESPACE_DNS, uuid5 } from '../shared/uuid5.js';
import { parseTimestamp } from '../shared/timestamps.js';
import { utcMicrosIso } from './caliper-run.js';
import { CALIPER_ID_NAMESPACE, caliperEventId, canonicalJson, type EventIdParts } from './event-id.js';

const parts = (): EventIdParts => ({
  eventName: 'play_video',
  actorId: 'http://lms/user/a',
  instant: '2020-07-15T06:52:55.057099Z',
  data: { id: 'v', currentTime: 1.5 },
  content: { type: 'MediaEvent', action: 'Resumed', object: { id: 'x', type: 'VideoObject' } },
});

describe('Caliper event ids', () => {
  it('follow the documented recipe', () => {
    assert.equal(CALIPER_ID_NAMESPACE, uuid5(NAMESPACE_DNS, 'caliper-event-id.edx-event-router'));
    const p = parts();
    const name = [p.eventName, p.actorId, p.instant, canonicalJson(p.data), canonicalJson(p.content)].join('\n');
    assert.equal(caliperEventId(p), `urn:uuid:${uuid5(CALIPER_ID_NAMESPACE, name)}`);
  });

  it('ignore key order, and change with every part', () => {
    const p = parts();
    const reordered = { ...p, content: { object: { type: 'VideoObject', id: 'x' }, action: 'Resumed', type: 'MediaEvent' } };
    assert.equal(caliperEventId(p), caliperEventId(reordered));
    const variants: EventIdParts[] = [
      { ...p, eventName: 'edx.video.played' },
      { ...p, actorId: 'http://lms/user/b' },
      { ...p, instant: '2020-07-15T06:52:55.057100Z' },
      { ...p, data: { id: 'v', currentTime: 1.6 } },
      { ...p, content: { ...p.content, action: 'Paused' } },
    ];
    const ids = new Set([caliperEventId(p), ...variants.map(caliperEventId)]);
    assert.equal(ids.size, variants.length + 1);
  });

  it('hash the timestamp as one UTC instant whatever its spelling', () => {
    const spellings = ['2020-07-15T06:52:55.057099+00:00', '2020-07-15T06:52:55.057099Z', '2020-07-15 08:52:55.057099+02:00'];
    const instants = spellings.map((s) => utcMicrosIso(parseTimestamp(s)!));
    assert.deepEqual(new Set(instants), new Set(['2020-07-15T06:52:55.057099Z']));
    assert.equal(utcMicrosIso(parseTimestamp('2020-07-15T06:52:55Z')!), '2020-07-15T06:52:55.000000Z');
  });

  it('canonical JSON sorts keys at every level and keeps arrays in order', () => {
    assert.equal(canonicalJson({ b: [2, { d: 1, c: null }], a: 'é', u: undefined }), '{"a":"é","b":[2,{"c":null,"d":1}]}');
    assert.equal(canonicalJson(undefined), 'null');
  });
});
