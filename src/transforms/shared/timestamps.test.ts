import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { isOpenEdxForm, parseTimestamp, pythonIsoformat, pythonIsoformatOf, utcMicrosIso, utcMillisIso, utcRenderingsOf } from './timestamps.js';

const iso = (text: string): string | undefined => {
  const parsed = parseTimestamp(text);
  return parsed === undefined ? undefined : pythonIsoformat(parsed);
};
const caliper = (text: string): string | undefined => {
  const parsed = parseTimestamp(text);
  return parsed === undefined ? undefined : utcMillisIso(parsed);
};

describe('timestamps', () => {
  it('renders as Python isoformat (xAPI statement timestamp)', () => {
    assert.equal(iso('2020-07-15T06:36:01.917775+00:00'), '2020-07-15T06:36:01.917775+00:00');
    assert.equal(iso('2020-07-15T06:36:01.917775Z'), '2020-07-15T06:36:01.917775+00:00');
    assert.equal(iso('2020-07-15T06:36:01.9Z'), '2020-07-15T06:36:01.900000+00:00');
    assert.equal(iso('2020-07-15T06:36:01.000000+00:00'), '2020-07-15T06:36:01+00:00');
    assert.equal(iso('2020-07-15 06:36:01.123456+02:00'), '2020-07-15T06:36:01.123456+02:00');
    assert.equal(iso('2020-07-15T06:36:01.1234567891-0530'), '2020-07-15T06:36:01.123456-05:30');
  });

  it('takes naive timestamps as UTC', () => {
    assert.equal(iso('2020-07-15T06:36:01.5'), '2020-07-15T06:36:01.500000+00:00');
  });

  it('rejects what is not a date-time', () => {
    assert.equal(iso('yesterday'), undefined);
    assert.equal(iso('2020-02-30T00:00:00Z'), undefined);
    assert.equal(iso('2020-07-15T25:00:00Z'), undefined);
    assert.equal(iso(''), undefined);
  });

  it('renders Caliper eventTime in UTC, truncated to milliseconds', () => {
    assert.equal(caliper('2020-07-14T14:39:26.906232+00:00'), '2020-07-14T14:39:26.906Z');
    assert.equal(caliper('2020-07-14T16:39:26.906999+02:00'), '2020-07-14T14:39:26.906Z');
    assert.equal(caliper('2020-07-14T00:10:00-01:00'), '2020-07-14T01:10:00.000Z');
  });

  // Texts in Open edX's own spelling are read by position and may be rendered by slicing them;
  // each shortcut must agree with the general path.
  const OPEN_EDX_SPELLINGS = [
    '2020-07-15T06:36:01.917775+00:00',
    '2020-07-15T06:36:01.917775Z',
    '2020-07-15T06:36:01.000000+00:00',
    '2020-07-15T06:36:01.917775-00:00',
    '2020-07-15T06:36:01.917775-05:30',
    '2020-07-15T06:36:01.917775+05:75',
    '2020-07-15T23:59:59.999999+14:00',
    '0099-01-01T00:00:00.100000+00:00',
    '2020-02-29T06:36:01.917775+00:00',
    '2021-02-29T06:36:01.917775+00:00',
    '2020-13-15T06:36:01.917775+00:00',
  ];

  it('reads Open edX spellings as the general pattern does', () => {
    for (const text of OPEN_EDX_SPELLINGS) {
      // A leading space is trimmed by the general path and keeps the text off the positional one.
      assert.deepEqual(parseTimestamp(text), parseTimestamp(` ${text}`), text);
    }
  });

  it('renders a text as its parsed value renders', () => {
    const edges = [
      '2020-02-29T06:36:01.917775+00:00',
      '2021-02-29T06:36:01.917775+00:00',
      '2020-02-30T06:36:01.917775+00:00',
      '2020-13-15T06:36:01.917775+00:00',
      '2020-00-15T06:36:01.917775+00:00',
      '2020-07-00T06:36:01.917775+00:00',
      '2020-07-15T24:00:00.000001+00:00',
      '2020-07-15T06:60:01.917775+00:00',
      '2020-07-15T06:36:60.917775+00:00',
      '2020-07-15T06:36:01.000000+00:00',
      '2020-07-15T06:36:01.917775+00:60',
      '2020-07-15T06:36:01.917775+99:59',
      '0999-07-15T06:36:01.917775+00:00',
    ];
    for (const text of [...OPEN_EDX_SPELLINGS, ...edges, '2020-07-15 06:36:01.5+02:00', 'nope']) {
      const parsed = parseTimestamp(text);
      assert.equal(pythonIsoformatOf(text), parsed && pythonIsoformat(parsed), text);
      const utc = parsed && { millis: utcMillisIso(parsed), micros: utcMicrosIso(parsed) };
      assert.deepEqual(utcRenderingsOf(text), utc, text);
    }
    assert.equal(pythonIsoformatOf('2020-07-15T06:36:01.917775-00:00'), '2020-07-15T06:36:01.917775+00:00');
    assert.deepEqual(utcRenderingsOf('2020-07-15T06:36:01.917775Z'), {
      millis: '2020-07-15T06:36:01.917Z',
      micros: '2020-07-15T06:36:01.917775Z',
    });
  });
});

test('isOpenEdxForm agrees with the regular expression it replaces', () => {
  const form = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(?:Z|[+-]\d{2}:\d{2})$/;
  const base = '2020-07-15T06:36:01.917775+00:00';
  const cases = [
    base,
    '2020-07-15T06:36:01.917775Z',
    '2020-07-15T06:36:01.917775-05:30',
    '2020-07-15 06:36:01.917775+00:00',
    '2020-07-15T06:36:01.91777+00:00',
    '2020-07-15T06:36:01.917775+0000',
    '2020-07-15T06:36:01.917775',
    '2020-07-15T06:36:01.917775z',
    '2020-07-15T06:36:01.917775+00:00 ',
    '',
  ];
  // Every single-character change of the base and of the Z form, to reach each position.
  for (const text of [base, '2020-07-15T06:36:01.917775Z']) {
    for (let i = 0; i < text.length; i++) {
      for (const ch of ['0', '9', 'a', ':', '-', '+', 'T', '.', 'Z', ' ', '٣']) cases.push(text.slice(0, i) + ch + text.slice(i + 1));
    }
  }
  for (const text of cases) assert.equal(isOpenEdxForm(text), form.test(text), text);
});
