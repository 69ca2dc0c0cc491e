import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEvent } from '../../../core/event.js';
import { fixtureContext } from '../../../../test/support/fixture-context.js';
import { createXapiValidator } from '../schema-validator.js';
import type { Statement } from '../statement.js';
import { transformXapi } from '../transform.js';
import type { CompatMode } from '../../shared/transform-settings.js';

const validator = createXapiValidator();
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const BLOCK = 'block-v1:edX+DemoX+Demo_Course+type@sequential+block@a2184f8ebf9d478ba57edcc4f288854a';
const CLASSIFICATION = 'http://www.tincanapi.co.uk/activitytypes/grade_classification';

function subsection(data: Record<string, unknown>) {
  return {
    name: 'edx.grades.subsection.grade_calculated',
    time: '2023-08-23T20:37:44.920732+00:00',
    context: { course_id: COURSE, user_id: 3 },
    session: 's1',
    data: {
      user_id: '4',
      course_id: COURSE,
      block_id: BLOCK,
      weighted_total_earned: 3.0,
      weighted_total_possible: 3.0,
      ...data,
    },
  };
}

function courseGrade(data: Record<string, unknown>, context: Record<string, unknown> = {}) {
  return {
    name: 'edx.grades.course.grade_calculated',
    time: '2023-08-23T20:37:45.526615+00:00',
    context: { course_id: COURSE, user_id: 3, ...context },
    data: { user_id: '3', course_id: COURSE, percent_grade: 1.0, letter_grade: 'Pass', ...data },
  };
}

function transform(raw: unknown, compat: CompatMode) {
  const normalized = normalizeEvent(raw);
  assert.ok(normalized.ok);
  return transformXapi(normalized.event, fixtureContext(compat));
}

function only(raw: unknown, compat: CompatMode = 'erb'): Statement {
  const outcome = transform(raw, compat);
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  const statement = outcome.statements[0] as Statement;
  if (compat === 'valid') assert.deepEqual(validator.check(statement), []);
  return statement;
}

function reason(raw: unknown): string {
  const outcomes = (['erb', 'valid'] as const).map((compat) => transform(raw, compat));
  const reasons = outcomes.map((o) => (o.ok ? 'produced' : o.reason));
  assert.equal(reasons[0], reasons[1], 'both modes skip alike');
  return reasons[0] as string;
}

describe('xAPI subsection grade', () => {
  it('reads numbers given as strings', () => {
    const statement = only(subsection({ weighted_total_earned: '2.5', weighted_total_possible: ' 5 ' }));
    assert.deepEqual(statement.result, { score: { scaled: 0.5, raw: 2.5, min: 0, max: 5 }, success: false });
    only(subsection({ weighted_total_earned: '2.5', weighted_total_possible: '5' }), 'valid');
  });

  it("treats null and empty values as 0, as ERB's `or 0` does", () => {
    const statement = only(subsection({ weighted_total_earned: null }));
    assert.deepEqual(statement.result, { score: { scaled: 0, raw: 0, min: 0, max: 3 }, success: false });
  });

  it("zero possible points: ERB's min = max = 0 in erb mode, no range in default mode", () => {
    const event = subsection({ weighted_total_earned: 0, weighted_total_possible: '0.0' });
    assert.deepEqual(only(event, 'erb').result, { score: { scaled: 0, raw: 0, min: 0, max: 0 }, success: true });
    assert.deepEqual(only(event, 'valid').result, { score: { raw: 0 }, success: true });
  });

  it('skips a missing grade key or block id, and non-numbers', () => {
    const noPossible = subsection({});
    delete (noPossible.data as Record<string, unknown>)['weighted_total_possible'];
    assert.equal(reason(noPossible), 'missing_field');
    assert.equal(reason(subsection({ block_id: '' })), 'missing_field');
    for (const bad of ['abc', '0x10', '  ', 'NaN', 'Infinity', '1e400', [1], { n: 1 }]) {
      assert.equal(reason(subsection({ weighted_total_earned: bad })), 'invalid_value', JSON.stringify(bad));
    }
  });

  it('keeps a unicode block id as given', () => {
    const block = 'block-v1:Üni+X+2024+type@sequential+block@ünïcødé';
    assert.equal(only(subsection({ block_id: block })).object.id, `http://localhost:18000/xblock/${block}`);
  });
});

describe('xAPI course grade', () => {
  it('uses percent_grade as raw and scaled out of 1, and the letter grade', () => {
    const statement = only(courseGrade({ percent_grade: '0.75', letter_grade: 'Très bien ✓' }), 'valid');
    assert.deepEqual(statement.result, {
      score: { scaled: 0.75, raw: 0.75, min: 0, max: 1 },
      extensions: { [CLASSIFICATION]: 'Très bien ✓' },
    });
    assert.deepEqual(statement.object.definition, {
      name: { en: 'Demonstration Course' },
      type: 'http://adlnet.gov/expapi/activities/course',
    });
    assert.equal(statement.context?.contextActivities?.parent?.length, 1);
  });

  it('classifies a missing or empty letter grade as "Fail", and a null percentage as 0', () => {
    for (const letter of [undefined, '', null]) {
      const statement = only(courseGrade({ letter_grade: letter, percent_grade: null }));
      assert.deepEqual(statement.result?.extensions, { [CLASSIFICATION]: 'Fail' });
      assert.deepEqual(statement.result?.score, { scaled: 0, raw: 0, min: 0, max: 1 });
    }
  });

  it('skips without percent_grade or context.course_id', () => {
    const noPercent = courseGrade({});
    delete (noPercent.data as Record<string, unknown>)['percent_grade'];
    assert.equal(reason(noPercent), 'missing_field');
    assert.equal(reason(courseGrade({}, { course_id: null })), 'missing_field');
    assert.equal(reason(courseGrade({ percent_grade: 'lots' })), 'invalid_value');
  });

  it('never fails with anything but a skip on malformed input', () => {
    for (const name of ['edx.grades.course.grade_calculated', 'edx.grades.subsection.grade_calculated']) {
      for (const data of [null, 'text', [], { block_id: { a: 1 } }, { block_id: 'b', weighted_total_possible: [] }]) {
        const event = { name, time: '2023-08-23T20:37:45Z', context: { course_id: COURSE, user_id: 3 }, data };
        const outcome = transform(event, 'valid');
        assert.notEqual(outcome.ok ? 'produced' : outcome.reason, 'transform_error', JSON.stringify(data));
      }
    }
  });
});
