import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIngestBody } from './parse-body.js';

const E = (name = 'play_video') => JSON.stringify({ name, data: {} });

describe('parseIngestBody', () => {
  const cases: Array<[string, string, { shape: string; events: number; errors: Array<[number, string]> }]> = [
    ['B01 one event', E(), { shape: 'event', events: 1, errors: [] }],
    ['B02 one pretty-printed event', JSON.stringify({ name: 'x', data: { a: 1 } }, null, 2), { shape: 'event', events: 1, errors: [] }],
    ['B03 NDJSON with blank lines', `${E()}\n\n${E()}\r\n`, { shape: 'ndjson', events: 2, errors: [] }],
    [
      'B04 tracking.log lines with a logger prefix',
      `2023-05-23 13:53:13,461 INFO 20 [tracking] logger.py:41 - ${E()}`,
      { shape: 'ndjson', events: 1, errors: [] },
    ],
    ['B05 a JSON array', `[${E()}, ${E()}]`, { shape: 'array', events: 2, errors: [] }],
    [
      'B06 bad lines among good ones',
      `${E()}\n{"name":\n42\n${E()}\n{"data":1}\nnope`,
      {
        shape: 'ndjson',
        events: 2,
        errors: [
          [2, 'unparsable_line'],
          [3, 'unparsable_line'],
          [5, 'invalid_event'],
          [6, 'unparsable_line'],
        ],
      },
    ],
    [
      'B07 non-objects in an array',
      `[${E()}, 1, null, [], {"name": 5}]`,
      {
        shape: 'array',
        events: 1,
        errors: [
          [2, 'invalid_event'],
          [3, 'invalid_event'],
          [4, 'invalid_event'],
          [5, 'invalid_event'],
        ],
      },
    ],
    ['B08 a broken array', `[${E()},`, { shape: 'array', events: 0, errors: [[1, 'unparsable_line']] }],
    ['B09 an object without a name', '{"data": {}}', { shape: 'event', events: 0, errors: [[1, 'invalid_event']] }],
    ['B10 empty', '  \n ', { shape: 'ndjson', events: 0, errors: [] }],
    ['B11 text after the object', `${E()} trailing`, { shape: 'ndjson', events: 0, errors: [[1, 'unparsable_line']] }],
    ['B12 a JSON string', '"hello"', { shape: 'ndjson', events: 0, errors: [[1, 'unparsable_line']] }],
    [
      'B13 an array item nested 100,000 levels deep',
      `[${E()}, {"name":"x","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}, ${E()}]`,
      { shape: 'array', events: 2, errors: [[2, 'invalid_event']] },
    ],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => {
      const got = parseIngestBody(body);
      assert.equal(got.shape, want.shape);
      assert.equal(got.events.length, want.events);
      assert.deepEqual(
        got.errors.map((e) => [e.line, e.reason]),
        want.errors,
      );
      for (const text of got.events) assert.equal(typeof (JSON.parse(text) as { name: unknown }).name, 'string');
    });
  }

  it('says what a non-event is: an array of numbers, a number or an array on an NDJSON line', () => {
    assert.deepEqual(parseIngestBody('[1,2]').errors, [
      { line: 1, reason: 'invalid_event', message: 'a JSON number is not an event (a JSON object with a "name")' },
      { line: 2, reason: 'invalid_event', message: 'a JSON number is not an event (a JSON object with a "name")' },
    ]);
    assert.deepEqual(parseIngestBody(`${E()}\n42\n[1, 2]\nnope`).errors, [
      { line: 2, reason: 'unparsable_line', message: 'the line is a JSON number, not an event (a JSON object with a "name")' },
      { line: 3, reason: 'unparsable_line', message: 'the line is a JSON array, not an event (a JSON object with a "name")' },
      { line: 4, reason: 'unparsable_line', message: 'no JSON object on the line' },
    ]);
  });
});
