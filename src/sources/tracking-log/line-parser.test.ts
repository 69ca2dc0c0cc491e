import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventLine } from './line-parser.js';

describe('parseEventLine', () => {
  it('reads a raw tracking.log line with a logger prefix, normalising event → data and time → timestamp', () => {
    const line =
      '2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - {"name": "x", "time": "2023-05-23T13:53:13.461+00:00", "event": "{\\"a\\": 1}"}';
    const parsed = parseEventLine(line);
    assert.equal(parsed.kind, 'event');
    if (parsed.kind !== 'event') return;
    assert.deepEqual(parsed.event['data'], { a: 1 });
    assert.equal(parsed.event['event'], '{"a": 1}');
    assert.equal(parsed.event['timestamp'], '2023-05-23T13:53:13.461+00:00');
  });

  it('keeps a non-JSON string event as data, and live-shape events as they are', () => {
    const parsed = parseEventLine('{"name": "x", "event": "not json", "time": "t"}');
    assert.ok(parsed.kind === 'event' && parsed.event['data'] === 'not json');
    const live = parseEventLine('{"name": "x", "data": {"b": 2}, "timestamp": "t", "event": "ignored"}');
    assert.ok(live.kind === 'event' && (live.event['data'] as { b: number }).b === 2);
  });

  it("reads Python's NaN, Infinity and -Infinity as json.loads does, in the line and in an event string", () => {
    const line =
      '2023-05-23 13:53:13,461 INFO 20 [tracking] logger.py:41 - {"name": "x", "time": "t", "event": {"a": NaN, "b": [Infinity, -Infinity]}, "s": "NaN"}';
    const parsed = parseEventLine(line);
    assert.ok(parsed.kind === 'event', JSON.stringify(parsed));
    const data = parsed.event['data'] as { a: number; b: number[] };
    assert.ok(Number.isNaN(data.a));
    assert.deepEqual(data.b, [Infinity, -Infinity]);
    assert.equal(parsed.event['s'], 'NaN');
    const inString = parseEventLine('{"name": "x", "time": "t", "event": "{\\"p\\": NaN}"}');
    assert.ok(inString.kind === 'event' && Number.isNaN((inString.event['data'] as { p: number }).p));
    const broken = parseEventLine('{"name": "x", "a": NaNa}');
    assert.ok(broken.kind === 'error' && broken.reason === 'unparsable_line' && broken.message.startsWith('invalid JSON: '));
  });

  it('reports what is not an event', () => {
    assert.deepEqual(parseEventLine('   ').kind, 'blank');
    assert.equal(parseEventLine('garbage').kind, 'error');
    assert.equal(parseEventLine('{"name": "x", ').kind, 'error');
    const noName = parseEventLine('{"data": {}}');
    assert.ok(noName.kind === 'error' && noName.reason === 'invalid_event');
    const array = parseEventLine('prefix [1, 2]');
    assert.ok(array.kind === 'error' && array.reason === 'unparsable_line');
  });
});
