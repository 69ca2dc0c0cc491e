import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventToTrackingLog, pythonIsoformatUtc, trackingLogToEvent } from './tracking-log-event.js';

describe('tracking-log payload ↔ event', () => {
  it('rebuilds {name, timestamp, data, context}, the timestamp text unchanged', () => {
    const outcome = trackingLogToEvent({
      name: 'play_video',
      timestamp: '2024-05-01T12:34:56.1+00:00',
      data: '{"id": "x", "currentTime": 1.5}',
      context: '{"user_id": 3}',
    });
    assert.deepEqual(outcome, {
      ok: true,
      value: { name: 'play_video', timestamp: '2024-05-01T12:34:56.1+00:00', data: { id: 'x', currentTime: 1.5 }, context: { user_id: 3 } },
    });
  });

  it('classifies bad JSON and bad names', () => {
    const bad = trackingLogToEvent({ name: 'x', timestamp: 't', data: '{', context: '{}' });
    assert.equal(!bad.ok && bad.reason, 'invalid_json');
    const noName = trackingLogToEvent({ name: '', timestamp: 't', data: '{}', context: '{}' });
    assert.equal(!noName.ok && noName.reason, 'invalid_event');
  });

  it('renders data and context as Python json.dumps and the timestamp as isoformat', () => {
    const log = eventToTrackingLog({
      name: 'play_video',
      timestamp: '2024-05-01T12:34:56.120Z',
      data: { code: 'é', n: 1 },
      context: { user_id: 3 },
    });
    assert.deepEqual(log, {
      name: 'play_video',
      timestamp: '2024-05-01T12:34:56.120000+00:00',
      data: '{"code": "\\u00e9", "n": 1}',
      context: '{"user_id": 3}',
    });
  });

  it('formats now like datetime.now(timezone.utc).isoformat()', () => {
    assert.equal(pythonIsoformatUtc(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))), '2024-01-02T03:04:05.006000+00:00');
    assert.equal(pythonIsoformatUtc(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 0))), '2024-01-02T03:04:05+00:00');
  });
});
