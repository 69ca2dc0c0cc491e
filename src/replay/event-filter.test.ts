import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenEdxEvent } from '../core/event.js';
import { createEventFilter, parseTimeBound } from './event-filter.js';

const event = (name: string, timestamp?: string): OpenEdxEvent => (timestamp === undefined ? { name } : { name, timestamp });

describe('createEventFilter', () => {
  it('keeps everything without settings', () => {
    assert.equal(createEventFilter({})(event('x')), undefined);
  });

  it('selects names exactly or by prefix*', () => {
    const filter = createEventFilter({ names: ['play_video', 'edx.course.enrollment.*'] });
    assert.equal(filter(event('play_video')), undefined);
    assert.equal(filter(event('edx.course.enrollment.activated')), undefined);
    assert.equal(filter(event('pause_video'))?.reason, 'event_not_selected');
  });

  it('keeps [since, until) by the event time, offsets applied, naive times as UTC', () => {
    const filter = createEventFilter({ sinceMs: Date.parse('2024-01-01T00:00:00Z'), untilMs: Date.parse('2024-02-01T00:00:00Z') });
    assert.equal(filter(event('x', '2024-01-01T00:00:00+00:00')), undefined);
    assert.equal(filter(event('x', '2024-01-01T00:30:00+01:00'))?.reason, 'outside_time_range');
    assert.equal(filter(event('x', '2024-01-31 23:59:59.999999')), undefined);
    assert.equal(filter(event('x', '2024-02-01T00:00:00Z'))?.reason, 'outside_time_range');
    assert.equal(filter(event('x'))?.reason, 'no_timestamp');
    assert.equal(filter({ name: 'x', time: '2024-01-15T00:00:00Z' }), undefined);
  });
});

describe('parseTimeBound', () => {
  it('reads dates as midnight UTC and date-times with or without offset', () => {
    assert.equal(parseTimeBound('2024-03-01'), Date.parse('2024-03-01T00:00:00Z'));
    assert.equal(parseTimeBound('2024-03-01T12:00:00+02:00'), Date.parse('2024-03-01T10:00:00Z'));
    assert.equal(parseTimeBound('2024-03-01T12:00'), Date.parse('2024-03-01T12:00:00Z'));
    assert.equal(parseTimeBound('yesterday'), undefined);
  });
});
