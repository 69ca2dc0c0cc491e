import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { isodateDuration, roundSeconds, tincanDuration, toSeconds } from './durations.js';

describe('tincanDuration (xAPI result.duration as ERB writes it)', () => {
  const cases: [number, string][] = [
    [195, 'PT03M15S'],
    [5, 'PT05S'],
    [194.381, 'PT03M14.381S'],
    [0, 'PT00S'],
    [10, 'PT10S'],
    [0.032788, 'PT00.032788S'],
    [3600, 'PT01H00M00S'],
    [3661.5, 'PT01H01M01.5S'],
    [86400, 'P1DT00H00M00S'],
    [90061, 'P1DT01H01M01S'],
  ];
  for (const [seconds, expected] of cases) {
    it(`${seconds} → ${expected}`, () => assert.equal(tincanDuration(seconds), expected));
  }

  it('rounds to whole microseconds half to even, as Python timedelta', () => {
    assert.equal(tincanDuration(0.0078125), 'PT00.007812S');
    assert.equal(tincanDuration(59.9999996), 'PT01M00S');
    assert.equal(tincanDuration(1e-7), 'PT00S');
  });

  it('renders negative values as Python normalises a negative timedelta', () => {
    assert.equal(tincanDuration(-5), 'P-1DT23H59M55S');
    assert.equal(tincanDuration(-0.1), 'P-1DT23H59M59.9S');
  });
});

describe('isodateDuration (Caliper durations as ERB writes them)', () => {
  const cases: [number, string][] = [
    [195, 'PT3M15S'],
    [10, 'PT10S'],
    [194.381, 'PT3M14.381S'],
    [0.032788, 'PT0.032788S'],
    [0, 'P0D'],
    [3600, 'PT1H'],
    [86400, 'P1D'],
    [90061.5, 'P1DT1H1M1.5S'],
  ];
  for (const [seconds, expected] of cases) {
    it(`${seconds} → ${expected}`, () => assert.equal(isodateDuration(seconds), expected));
  }

  it('puts the sign in front of a negative value', () => {
    assert.equal(isodateDuration(-195), '-PT3M15S');
    assert.equal(isodateDuration(-0.1), '-PT0.1S');
  });
});

describe('toSeconds (Python float() of an event value)', () => {
  it('accepts numbers and numeric text', () => {
    assert.equal(toSeconds(12), 12);
    assert.equal(toSeconds(0), 0);
    assert.equal(toSeconds('12.5'), 12.5);
    assert.equal(toSeconds(' 12.5\n'), 12.5);
    assert.equal(toSeconds('1e3'), 1000);
    assert.equal(toSeconds('.5'), 0.5);
    assert.equal(toSeconds('5.'), 5);
    assert.equal(toSeconds('-3'), -3);
    assert.equal(toSeconds('1_000.5'), 1000.5);
  });

  it('rejects what Python float() rejects, and non-finite values', () => {
    for (const value of ['', ' ', 'abc', '0x10', '0b1', '1__0', '_1', '1_', '1,5', '.', 'nan', 'inf', 'Infinity', '1e400']) {
      assert.equal(toSeconds(value), undefined, JSON.stringify(value));
    }
    for (const value of [null, undefined, true, false, {}, [], [1], Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(toSeconds(value), undefined, String(value));
    }
  });
});

describe('roundSeconds (ERB convert_seconds_to_float)', () => {
  it('rounds to 3 decimals', () => {
    assert.equal(roundSeconds(0.03278805340576172), 0.033);
    assert.equal(roundSeconds(194.40735897138978), 194.407);
    assert.equal(roundSeconds(21.133524), 21.134);
    assert.equal(roundSeconds(195), 195);
    assert.equal(roundSeconds(-1.23456), -1.235);
  });

  it('rounds exact ties half to even, as Python formats them', () => {
    assert.equal(roundSeconds(0.0625), 0.062);
    assert.equal(roundSeconds(0.1875), 0.188);
    assert.equal(roundSeconds(1.3125), 1.312);
    assert.equal(roundSeconds(-0.0625), -0.062);
  });
});

test('roundSeconds: values already in thousandths come back as they are, as "{0:.3f}" then float() gives them', () => {
  for (let k = -20_000; k <= 20_000; k += 7) {
    const seconds = k / 1000;
    assert.equal(roundSeconds(seconds), Number(seconds.toFixed(3)) || seconds, String(seconds));
  }
  for (const seconds of [0.1 + 0.2, 1e-7, 2.0005, 123456.7894, 1e12 + 0.5, 4.0625]) {
    assert.equal(roundSeconds(seconds), seconds === 4.0625 ? 4.062 : Number(seconds.toFixed(3)), String(seconds));
  }
});
