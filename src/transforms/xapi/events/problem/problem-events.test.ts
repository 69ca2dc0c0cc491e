import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, OpenEdxEvent } from '../../../../core/event.js';
import { fixtureContext } from '../../../../../test/support/fixture-context.js';
import type { CompatMode } from '../../../shared/transform-settings.js';
import type { Statement } from '../../statement.js';
import { transformXapi } from '../../transform.js';
import { ACTIVITY, VERB } from '../../vocabulary.js';
import { problemTransformers } from '../problem.js';

const LMS = 'http://localhost:18000';
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const PROBLEM = 'block-v1:edX+DemoX+Demo_Course+type@problem+block@07adfed616844fa780c606b55270a090';

function problemEvent(name: string, data: JsonObject | null): OpenEdxEvent {
  return {
    name,
    timestamp: '2020-07-15T06:09:37.404285+00:00',
    context: { course_id: COURSE, user_id: 3, username: 'edx', session: 's1' },
    data,
  };
}

function one(event: OpenEdxEvent, compat: CompatMode = 'erb'): Statement {
  const outcome = transformXapi(event, fixtureContext(compat));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  return JSON.parse(JSON.stringify(outcome.statements[0])) as Statement;
}

function skipReason(event: OpenEdxEvent, compat: CompatMode = 'valid'): string {
  const outcome = transformXapi(event, fixtureContext(compat));
  return outcome.ok ? 'produced' : outcome.reason;
}

describe('xAPI problem family table', () => {
  it('registers exactly the names ERB registers (no legacy aliases exist)', () => {
    assert.deepEqual(Object.keys(problemTransformers).sort(), [
      'edx.grades.problem.submitted',
      'edx.problem.completed',
      'edx.problem.hint.demandhint_displayed',
      'problem_check',
      'showanswer',
    ]);
  });
});

describe('xAPI showanswer', () => {
  it('asks for the answer of the problem', () => {
    const s = one(problemEvent('showanswer', { problem_id: PROBLEM }));
    assert.equal(s.verb.id, VERB.asked);
    assert.deepEqual(s.object, { id: `${LMS}/xblock/${PROBLEM}/answer`, objectType: 'Activity', definition: { type: ACTIVITY.solution } });
  });

  it('is skipped without a problem id', () => {
    assert.equal(skipReason(problemEvent('showanswer', { other: 1 })), 'missing_field');
    assert.equal(skipReason(problemEvent('showanswer', null)), 'missing_field');
  });
});

describe('xAPI edx.problem.hint.demandhint_displayed', () => {
  it('asks for the hint by index, a zero index included', () => {
    const s = one(problemEvent('edx.problem.hint.demandhint_displayed', { module_id: PROBLEM, hint_index: 0 }));
    assert.equal(s.object.id, `${LMS}/xblock/${PROBLEM}/hint/0`);
    assert.equal(s.object.definition?.type, ACTIVITY.supplementalInfo);
  });

  it('takes an index given as text as it is', () => {
    const s = one(problemEvent('edx.problem.hint.demandhint_displayed', { module_id: PROBLEM, hint_index: '2' }));
    assert.equal(s.object.id, `${LMS}/xblock/${PROBLEM}/hint/2`);
  });

  it('is skipped without a module id or a hint index', () => {
    assert.equal(skipReason(problemEvent('edx.problem.hint.demandhint_displayed', { hint_index: 1 })), 'missing_field');
    assert.equal(skipReason(problemEvent('edx.problem.hint.demandhint_displayed', { module_id: PROBLEM })), 'missing_field');
  });
});

describe('xAPI edx.grades.problem.submitted', () => {
  const graded = (data: JsonObject) => problemEvent('edx.grades.problem.submitted', { problem_id: PROBLEM, user_id: '3', ...data });

  it('scores the weighted grade, numbers given as text included', () => {
    const s = one(graded({ weighted_earned: '1.5', weighted_possible: '3' }));
    assert.equal(s.verb.id, VERB.attempted);
    assert.equal(s.object.id, `${LMS}/xblock/${PROBLEM}`);
    assert.deepEqual(s.result, { score: { scaled: 0.5, raw: 1.5, min: 0, max: 3 }, success: false });
  });

  it('counts a missing or null weight as 0', () => {
    assert.deepEqual(one(graded({ weighted_earned: 2 })).result, {
      score: { scaled: 0, raw: 2, min: 0, max: 0 },
      success: true,
    });
    assert.deepEqual(one(graded({ weighted_earned: null, weighted_possible: 1 })).result, {
      score: { scaled: 0, raw: 0, min: 0, max: 1 },
      success: false,
    });
  });

  it('drops the empty 0..0 range in the default form', () => {
    const s = one(graded({ weighted_earned: 0, weighted_possible: 0 }), 'valid');
    assert.deepEqual(s.result, { score: { raw: 0 }, success: true });
  });

  it('is skipped without a problem id or without grade data', () => {
    assert.equal(skipReason(graded({ problem_id: null })), 'missing_field');
    assert.equal(skipReason(problemEvent('edx.grades.problem.submitted', null)), 'missing_field');
  });
});

describe('xAPI edx.problem.completed (proposed)', () => {
  it('uses the bare usage key as the object id, as ERB does', () => {
    const s = one(problemEvent('edx.problem.completed', { problem_id: PROBLEM }));
    assert.equal(s.verb.id, VERB.completed);
    assert.equal(s.object.id, PROBLEM);
  });
});
