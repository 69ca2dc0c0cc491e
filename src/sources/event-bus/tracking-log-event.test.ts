import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenEdxEvent } from '../../core/event.js';
import { PythonDict, readPythonJson } from './python-json-value.js';
import { epochMicrosNow, eventToTrackingLog, pythonIsoformatUtc, trackingLogToEvent } from './tracking-log-event.js';

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

describe('eventToTrackingLog: what edx-platform sends to the bus', () => {
  const readSource = (text: string): PythonDict => {
    const read = readPythonJson(text);
    assert.ok(read.ok && read.value instanceof PythonDict);
    return read.value;
  };

  it('writes data and context from the text byte for byte as Python would', () => {
    const text =
      '{"name": "x", "timestamp": "2024-05-01T00:00:00.5+00:00", "data": {"2": 1.0, "1": 1e-07, "big": 9007199254740993}, "context": {"user_id": 3}}';
    const event = JSON.parse(text) as OpenEdxEvent;
    const log = eventToTrackingLog(event, new Date(), readSource(text));
    assert.equal(log.data, '{"2": 1.0, "1": 1e-07, "big": 9007199254740993}');
    assert.equal(log.context, '{"user_id": 3}');
    assert.equal(log.timestamp, '2024-05-01T00:00:00.500000+00:00');
  });

  it('sends null for an event without context or data, as json.dumps(None)', () => {
    const log = eventToTrackingLog({ name: 'x', timestamp: '2024-05-01T00:00:00+00:00' });
    assert.equal(log.data, 'null');
    assert.equal(log.context, 'null');
  });

  it('puts the fields the shim moved out of the context back into it, as the LMS emitted them', () => {
    const line =
      '{"name": "problem_check", "time": "2024-05-01T00:00:00.123456+00:00", "username": "edx", "session": "s1", "ip": "1.2.3.4", ' +
      '"agent": "A", "host": "lms", "referer": "http://lms/x", "accept_language": "en", "event_source": "browser", "event_type": "problem_check", ' +
      '"page": "http://lms/p", "context": {"user_id": 3, "course_id": "c"}, "event": "{\\"a\\": 1.0}"}';
    const source = readSource(line);
    const log = eventToTrackingLog(JSON.parse(line) as OpenEdxEvent, new Date(), source);
    assert.equal(
      log.context,
      '{"user_id": 3, "course_id": "c", "username": "edx", "session": "s1", "ip": "1.2.3.4", "agent": "A", "host": "lms", ' +
        '"referer": "http://lms/x", "accept_language": "en", "event_source": "browser", "page": "http://lms/p"}',
    );
    // A browser event's data, which the shim wrote as JSON text, is read back into a dict.
    assert.equal(log.data, '{"a": 1.0}');
    // A server event's text data stays the text the LMS emitted; a null page stays out.
    const server = readSource('{"name": "n", "time": "t", "event_source": "server", "page": null, "context": {}, "event": "{\\"a\\": 1}"}');
    const serverLog = eventToTrackingLog({ name: 'n', timestamp: 't' }, new Date(), server);
    assert.equal(serverLog.data, '"{\\"a\\": 1}"');
    assert.equal(serverLog.context, '{"event_source": "server"}');
  });

  it('formats microseconds since the epoch like datetime.isoformat()', () => {
    assert.equal(pythonIsoformatUtc(Date.UTC(2024, 0, 2, 3, 4, 5, 6) * 1000 + 789), '2024-01-02T03:04:05.006789+00:00');
    assert.equal(pythonIsoformatUtc(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000), '2024-01-02T03:04:05+00:00');
    assert.match(pythonIsoformatUtc(epochMicrosNow()), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
  });
});
