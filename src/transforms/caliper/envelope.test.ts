import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaliperEvent } from './caliper-event.js';
import { CALIPER_DATA_VERSION, envelope } from './envelope.js';
import { checkCaliperEnvelope } from './structural-check.js';

const event = (n: number): CaliperEvent => ({
  '@context': 'http://purl.imsglobal.org/ctx/caliper/v1p2',
  id: `urn:uuid:00000000-0000-5000-8000-00000000000${n}`,
  eventTime: '2020-07-15T06:52:55.057Z',
  actor: { id: 'http://lms/user/1', type: 'Person' },
  type: 'NavigationEvent',
  object: { id: 'http://lms/page', type: 'WebPage' },
  action: 'NavigatedTo',
});

describe('envelope', () => {
  it('writes ERB key order and a millisecond UTC sendTime', () => {
    const wrapped = envelope([event(1)], 'http://localhost:18000', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 67)));
    assert.deepEqual(Object.keys(wrapped), ['sensor', 'sendTime', 'data', 'dataVersion']);
    assert.equal(wrapped.sendTime, '2024-01-02T03:04:05.067Z');
    assert.equal(wrapped.dataVersion, CALIPER_DATA_VERSION);
    assert.equal(CALIPER_DATA_VERSION, 'http://purl.imsglobal.org/ctx/caliper/v1p2');
    assert.deepEqual(checkCaliperEnvelope(wrapped), []);
  });

  it('puts a whole batch in one envelope, in order', () => {
    const batch = [event(1), event(2), event(3)];
    const wrapped = envelope(batch, 'http://localhost:18000', new Date());
    assert.deepEqual(
      wrapped.data.map((e) => e.id),
      batch.map((e) => e.id),
    );
    assert.deepEqual(checkCaliperEnvelope(wrapped), []);
  });

  it('refuses an invalid clock', () => {
    assert.throws(() => envelope([event(1)], 'http://x', new Date(Number.NaN)), RangeError);
  });
});
