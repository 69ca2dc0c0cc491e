import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue } from '../core/event.js';
import { compileMatchParams, matchEvent } from './match-params.js';

function matches(matchParams: JsonValue, event: JsonObject): boolean {
  const compiled = compileMatchParams(matchParams);
  assert.ok(compiled.ok, compiled.ok ? '' : JSON.stringify(compiled.errors));
  return matchEvent(compiled.compiled, event);
}

// The event of ERB's test_models.py worked examples (erb-reference.md §3.3).
const ERB_EVENT: JsonObject = {
  course_id: 'course-v1:edX+E2E+2021+course',
  name: 'problem_check',
  context: { org_id: 'test' },
  data: { id: 'test_id' },
};

// A live-shaped event: course and enterprise live under context.
const LIVE_EVENT: JsonObject = {
  name: 'edx.course.enrollment.activated',
  timestamp: '2024-01-01T00:00:00+00:00',
  context: {
    course_id: 'course-v1:edX+DemoX+2021_T1',
    org_id: 'edX',
    user_id: 3,
    enterprise_uuid: 'org_XYZ',
    flag: true,
    list: ['a'],
  },
  data: { course_id: 'course-v1:edX+DemoX+2021_T1', mode: 'audit' },
};

describe('match_params: ERB worked examples (test_models.py)', () => {
  const cases: Array<[string, JsonValue, boolean]> = [
    ['dotted key matches', { 'context.org_id': 'test' }, true],
    ['missing path does not match', { 'non_existing.id.value': 'test' }, false],
    ['AND with a list (OR)', { 'context.org_id': 'test', name: ['problem_check', 'showanswer', 'stop_video'] }, true],
    ['a list holding only null never matches', { 'context.org_id': 'test', name: [null] }, false],
    ['top-level course_id regex in the synthetic event', { course_id: '^.*course-v.:edX\\+.*\\+2021.*$', name: 'problem_check' }, true],
    ['list of regexes', { 'context.org_id': 'test', name: ['^problem.*', 'video'] }, true],
  ];
  for (const [title, params, expected] of cases) it(title, () => assert.equal(matches(params, ERB_EVENT), expected));
});

describe('match_params: semantics table', () => {
  const cases: Array<[string, JsonValue | undefined, JsonObject, boolean]> = [
    ['absent match_params: every event', undefined, ERB_EVENT, true],
    ['empty match_params: every event', {}, ERB_EVENT, true],
    ['empty list never matches', { name: [] }, ERB_EVENT, false],
    ['unanchored search: "video" matches stop_video', { name: 'video' }, { name: 'stop_video' }, true],
    ['unanchored search: "edX" matches "edX2"', { org: 'edX' }, { org: 'edX2' }, true],
    ['empty pattern matches any string', { name: '' }, ERB_EVENT, true],
    ['empty pattern matches the empty string', { name: '' }, { name: '' }, true],
    ['empty pattern does not match an absent key', { missing: '' }, ERB_EVENT, false],
    ['case-sensitive', { 'context.org_id': 'TEST' }, ERB_EVENT, false],
    ['AND: one failing key fails all', { 'context.org_id': 'test', name: 'showanswer' }, ERB_EVENT, false],
    ['number value never matches ("3" vs 3)', { 'context.user_id': '3' }, LIVE_EVENT, false],
    ['boolean value never matches', { 'context.flag': 'True' }, LIVE_EVENT, false],
    ['object value never matches', { data: '.*' }, LIVE_EVENT, false],
    ['list value never matches', { 'context.list': 'a' }, LIVE_EVENT, false],
    ['no list indexing in paths', { 'context.list.0': 'a' }, LIVE_EVENT, false],
    ['a key into a string gives nothing', { 'context.org_id.x': '' }, LIVE_EVENT, false],
    ['null value never matches', { 'context.x': '' }, { name: 'n', context: { x: null } }, false],
    ['non-string pattern never matches', { name: 3 }, { name: '3' }, false],
    ['true as a pattern never matches', { name: true }, { name: 'True' }, false],
    ['a list with a non-string item still ORs the rest', { name: ['nomatch', 3, 'problem'] }, ERB_EVENT, true],
    ['no prototype keys', { 'context.constructor': '' }, LIVE_EVENT, false],
    ['top-level course_id never matches a live event (ERB)', { course_id: 'DemoX' }, LIVE_EVENT, false],
    ['context.course_id matches a live event', { 'context.course_id': '^course-v1:edX\\+DemoX\\+2021' }, LIVE_EVENT, true],
  ];
  for (const [title, params, event, expected] of cases) {
    it(title, () => assert.equal(matches(params as JsonValue, event), expected));
  }
});

describe('match_params: the issue samples', () => {
  const caliper: JsonObject = { course_id: '^.*course-v.:edX\\+.*\\+2021.*$', name: ['^problem.*', 'video'] };
  const xapi: JsonObject = {
    enterprise_uuid: 'org_XYZ',
    name: ['edx.course.grade.passed.first_time', 'edx.course.enrollment.activated'],
  };

  it('caliper sample, as written, matches the synthetic event with a top-level course_id', () => {
    assert.equal(matches(caliper, { ...ERB_EVENT, name: 'stop_video' }), true);
  });
  it('caliper sample, as written, never matches a live event (course_id is under context)', () => {
    assert.equal(matches(caliper, { ...LIVE_EVENT, name: 'problem_check' }), false);
  });
  it('caliper sample with context.course_id matches a live event', () => {
    const fixed = { 'context.course_id': caliper['course_id'] as string, name: caliper['name'] as JsonValue };
    assert.equal(matches(fixed, { ...LIVE_EVENT, name: 'problem_check' }), true);
    assert.equal(matches(fixed, { ...LIVE_EVENT, name: 'showanswer' }), false);
  });
  it('xapi sample, as written, never matches a live event; with context.enterprise_uuid it does', () => {
    assert.equal(matches(xapi, LIVE_EVENT), false);
    assert.equal(matches({ 'context.enterprise_uuid': 'org_XYZ', name: xapi['name'] as JsonValue }, LIVE_EVENT), true);
  });
});

describe('match_params: compile-time checks', () => {
  it('warns about top-level keys that events carry under context', () => {
    const outcome = compileMatchParams({ course_id: 'x', enterprise_uuid: 'y', 'context.course_id': 'z', name: 'n' });
    assert.ok(outcome.ok);
    const text = outcome.warnings.join('\n');
    assert.match(text, /match_params\.course_id: .*use "context\.course_id"/);
    assert.match(text, /match_params\.enterprise_uuid: .*use "context\.enterprise_uuid"/);
    assert.equal(outcome.warnings.length, 2, text);
  });
  it('warns about a key that is no top-level event field', () => {
    const outcome = compileMatchParams({ org: 'x' });
    assert.ok(outcome.ok);
    assert.match(outcome.warnings.join('\n'), /"org" is not a top-level field/);
  });
  it('refuses every invalid pattern, naming each', () => {
    const outcome = compileMatchParams({ name: ['ok', '(', 'a(?=b)'], 'context.x': '(a)\\1' }, 'configurations.match_params');
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.deepEqual(
      outcome.errors.map((e) => e.field),
      ['configurations.match_params.name[1]', 'configurations.match_params.name[2]', 'configurations.match_params.context.x'],
    );
    assert.match(outcome.errors[2]?.message ?? '', /backreference/);
  });
  it('refuses a match_params that is not an object', () => {
    assert.equal(compileMatchParams(['name']).ok, false);
    assert.equal(compileMatchParams(null).ok, false);
  });
});
