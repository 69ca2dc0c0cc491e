import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimestamp, pythonIsoformat, utcMillisIso } from './timestamps.js';

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
});
