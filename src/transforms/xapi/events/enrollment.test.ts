import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEvent } from '../../../core/event.js';
import { fixtureContext, FIXTURE_LOOKUPS } from '../../../../test/support/fixture-context.js';
import { createXapiValidator } from '../schema-validator.js';
import type { Statement } from '../statement.js';
import { transformXapi } from '../transform.js';
import type { CompatMode } from '../../shared/transform-settings.js';
import type { Lookups } from '../../shared/lookups.js';

const validator = createXapiValidator();
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const MODE = 'https://w3id.org/xapi/acrossx/extensions/type';

function enrollmentEvent(name: string, data: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return {
    name,
    timestamp: '2020-07-15T06:36:01.917775+00:00',
    context: { course_id: COURSE, session: 's1', user_id: 3, ...context },
    data: { course_id: COURSE, user_id: 3, mode: 'audit', ...data },
  };
}

function transform(raw: unknown, compat: CompatMode = 'erb', lookups: Lookups = FIXTURE_LOOKUPS) {
  const normalized = normalizeEvent(raw);
  assert.ok(normalized.ok);
  return transformXapi(normalized.event, fixtureContext(compat, { lookups }));
}

function only(raw: unknown, compat: CompatMode = 'erb', lookups?: Lookups): Statement {
  const outcome = transform(raw, compat, lookups);
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  return outcome.statements[0] as Statement;
}

function reason(raw: unknown, compat: CompatMode = 'erb'): string {
  const outcome = transform(raw, compat);
  return outcome.ok ? 'produced' : outcome.reason;
}

describe('xAPI enrollment family', () => {
  it("reproduces ERB's statement id test vector and keeps the course object form", () => {
    const statement = only(enrollmentEvent('edx.course.enrollment.activated'));
    assert.equal(statement.id, 'bb946682-b0b9-5dc2-a17c-605ef5833c98');
    assert.deepEqual(statement.object, {
      id: `http://localhost:18000/course/${COURSE}`,
      objectType: 'Activity',
      definition: {
        name: { en: 'Demonstration Course' },
        type: 'http://adlnet.gov/expapi/activities/course',
        extensions: { [MODE]: 'audit' },
      },
    });
    assert.equal(statement.context?.contextActivities, undefined);
  });

  it("maps each event to ERB's verb", () => {
    const verbs: Record<string, string> = {
      'edx.course.enrollment.activated': 'http://adlnet.gov/expapi/verbs/registered',
      'edx.course.enrollment.mode_changed': 'http://adlnet.gov/expapi/verbs/registered',
      'edx.course.enrollment.deactivated': 'http://id.tincanapi.com/verb/unregistered',
      'edx.course.grade.passed.first_time': 'http://adlnet.gov/expapi/verbs/passed',
      'edx.course.grade.now_passed': 'http://adlnet.gov/expapi/verbs/passed',
      'edx.course.grade.now_failed': 'http://adlnet.gov/expapi/verbs/failed',
    };
    for (const [name, verb] of Object.entries(verbs)) {
      for (const compat of ['erb', 'valid'] as const) {
        const statement = only(enrollmentEvent(name), compat);
        assert.equal(statement.verb.id, verb, name);
        assert.deepEqual(validator.check(statement), [], name);
      }
    }
  });

  it('keeps an empty extensions map when the mode is missing, empty or null (as ERB)', () => {
    for (const mode of [undefined, '', null]) {
      const event = enrollmentEvent('edx.course.grade.now_failed', { mode });
      const statement = only(event);
      assert.deepEqual(statement.object.definition?.extensions, {});
      assert.deepEqual(validator.check(only(event, 'valid')), []);
    }
  });

  it('skips without context.course_id, even when data.course_id is set (ERB requires the context one)', () => {
    const event = enrollmentEvent('edx.course.enrollment.activated', {}, { course_id: undefined });
    assert.equal(reason(event), 'missing_field');
    assert.equal(reason(event, 'valid'), 'missing_field');
    assert.equal(reason(enrollmentEvent('edx.course.enrollment.activated', {}, { course_id: '' })), 'missing_field');
  });

  it('keeps unicode course names, and names an unknown course by its id with a note', () => {
    const lookups: Lookups = {
      ...FIXTURE_LOOKUPS,
      courseName: (id) => (id === COURSE ? 'Cours de démonstration ✓' : undefined),
    };
    const statement = only(enrollmentEvent('edx.course.enrollment.activated'), 'valid', lookups);
    assert.deepEqual(statement.object.definition?.name, { en: 'Cours de démonstration ✓' });

    const unknown = 'course-v1:Üni+X+2024';
    const event = enrollmentEvent('edx.course.enrollment.activated', {}, { course_id: unknown });
    const outcome = transform(event, 'valid', lookups);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.notes, ['unknown_course']);
    assert.deepEqual(outcome.statements[0]?.object.definition?.name, { en: unknown });
  });

  it('passes an odd mode value through as ERB does, and takes a numeric course id as text', () => {
    const odd = only(enrollmentEvent('edx.course.enrollment.activated', { mode: 7 }));
    assert.deepEqual(odd.object.definition?.extensions, { [MODE]: 7 });
    const numeric = only(enrollmentEvent('edx.course.enrollment.activated', {}, { course_id: 42 }));
    assert.equal(numeric.object.id, 'http://localhost:18000/course/42');
  });

  it('never fails with anything but a skip on malformed input', () => {
    for (const data of [null, 'text', [], [1], { mode: { nested: true } }]) {
      for (const context of [null, 'text', { course_id: ['x'] }, { course_id: { a: 1 } }]) {
        const name = 'edx.course.enrollment.activated';
        const outcome = transform({ name, timestamp: '2020-07-15T06:36:01Z', user_id: 3, data, context });
        assert.notEqual(outcome.ok ? 'produced' : outcome.reason, 'transform_error');
      }
    }
  });
});
