import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, OpenEdxEvent } from '../../../../core/event.js';
import { fixtureContext } from '../../../../../test/support/fixture-context.js';
import type { CompatMode } from '../../../shared/transform-settings.js';
import type { Statement } from '../../statement.js';
import { transformXapi } from '../../transform.js';
import { ACTIVITY, EXTENSION, VERB } from '../../vocabulary.js';

const LMS = 'http://localhost:18000';
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const HASH = '3fc5461f86764ad7bdbdf6cbdde61e66';
const PROBLEM = `block-v1:edX+DemoX+Demo_Course+type@problem+block@${HASH}`;
const REFERER = `${LMS}/xblock/block-v1:edX+DemoX+Demo_Course+type@vertical+block@e3601c0abee6427d8c17e6d6f8fdddd1`;
const TIMESTAMP = '2020-07-14T14:39:26.906232+00:00';

function serverCheck(data: JsonObject, context: JsonObject = {}): OpenEdxEvent {
  return {
    name: 'problem_check',
    timestamp: TIMESTAMP,
    context: {
      course_id: COURSE,
      event_source: 'server',
      referer: REFERER,
      user_id: 3,
      username: 'edx',
      module: { display_name: 'Checkboxes', usage_key: PROBLEM },
      ...context,
    },
    data: { problem_id: PROBLEM, grade: 1, max_grade: 2, attempts: 3, success: 'incorrect', ...data },
  };
}

function submission(answer: JsonObject[string], extra: JsonObject = {}): JsonObject {
  return { question: 'Pick one', answer, response_type: 'choiceresponse', correct: false, ...extra };
}

function statements(event: OpenEdxEvent, compat: CompatMode = 'erb'): Statement[] {
  const outcome = transformXapi(event, fixtureContext(compat));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  return JSON.parse(JSON.stringify(outcome.statements)) as Statement[];
}

function one(event: OpenEdxEvent, compat: CompatMode = 'erb'): Statement {
  const produced = statements(event, compat);
  assert.equal(produced.length, 1);
  return produced[0] as Statement;
}

function skipReason(event: OpenEdxEvent, compat: CompatMode = 'valid'): string {
  const outcome = transformXapi(event, fixtureContext(compat));
  return outcome.ok ? 'produced' : outcome.reason;
}

describe('xAPI problem_check (server, one question)', () => {
  it('reads grades given as numeric text as numbers', () => {
    const s = one(serverCheck({ grade: '2', max_grade: ' 4 ', submission: { q: submission('x') } }));
    assert.deepEqual(s.result?.score, { scaled: 0.5, raw: 2, min: 0, max: 4 });
  });

  it('leaves out score parts that are not numbers instead of failing the event', () => {
    const s = one(serverCheck({ grade: 'n/a', max_grade: 2, submission: { q: submission('x') } }));
    assert.deepEqual(s.result?.score, { min: 0, max: 2 });
  });

  it('keeps the attempt count as the event gives it, text included, and drops a zero count', () => {
    const asText = one(serverCheck({ attempts: '3', submission: { q: submission('x') } }));
    assert.equal(asText.object.definition?.extensions?.[EXTENSION.attemptId], '3');
    const zero = one(serverCheck({ attempts: 0, submission: { q: submission('x') } }));
    assert.equal(zero.object.definition?.extensions, undefined);
  });

  it('keeps unicode answers as they are', () => {
    const s = one(serverCheck({ submission: { q: submission('café ☕ «réponse»') } }));
    assert.equal(s.result?.response, 'café ☕ «réponse»');
  });

  it('renders list answers as JSON without ASCII escapes', () => {
    const s = one(serverCheck({ submission: { q: submission(['a piano', "Quelque chose d'instantané", 'I"M']) } }));
    assert.equal(s.result?.response, '["a piano", "Quelque chose d\'instantané", "I\\"M"]');
  });

  it('renders other answers through Python str()', () => {
    assert.equal(one(serverCheck({ submission: { q: submission(42) } })).result?.response, '42');
    assert.equal(one(serverCheck({ submission: { q: submission(true) } })).result?.response, 'True');
    assert.equal(one(serverCheck({ submission: { q: submission({ a: 'é' }) } })).result?.response, "{'a': 'é'}");
  });

  it('describes the problem with the question and the mapped response type', () => {
    const s = one(serverCheck({ submission: { q: submission('x', { response_type: 'numericalresponse' }) } }));
    assert.deepEqual(s.object.definition, {
      description: { 'en-US': 'Pick one' },
      type: ACTIVITY.interaction,
      interactionType: 'numeric',
      extensions: { [EXTENSION.attemptId]: 3 },
    });
    assert.equal(s.result?.success, false);
    assert.equal(s.verb.id, VERB.evaluated);
  });

  it('without a response type, names the problem and uses the raw answers (Python repr)', () => {
    const s = one(
      serverCheck({
        answers: { [`${HASH}_2_1`]: ['choice_0', 'réponse'] },
        success: 'correct',
        submission: { [`${HASH}_2_1`]: { question: 'Q', answer: ['x'], correct: false } },
      }),
    );
    assert.deepEqual(s.object.definition?.name, { 'en-US': 'Checkboxes' });
    assert.equal(s.object.definition?.description, undefined);
    assert.equal(s.object.definition?.interactionType, 'other');
    assert.equal(s.result?.response, `{'${HASH}_2_1': ['choice_0', 'réponse']}`);
    assert.equal(s.result?.success, true);
  });

  it('tolerates missing optional fields: no attempts, grades, answers, course or session', () => {
    const event = serverCheck({}, { course_id: null, module: null });
    event['data'] = { problem_id: PROBLEM };
    const s = one(event);
    assert.deepEqual(s.object.definition, { type: ACTIVITY.interaction, interactionType: 'other' });
    assert.deepEqual(s.result, { score: { min: 0 }, success: false });
    assert.equal(s.context?.contextActivities, undefined);
    assert.deepEqual(Object.keys(s.context?.extensions ?? {}), [EXTENSION.transformerVersion]);
  });

  it('takes Python truthiness for "correct" (ERB passes it to bool())', () => {
    assert.equal(one(serverCheck({ submission: { q: submission('x', { correct: 'yes' }) } })).result?.success, true);
    const noCorrect = submission('x');
    delete noCorrect['correct'];
    assert.equal(one(serverCheck({ submission: { q: noCorrect } })).result?.success, undefined);
  });

  it('falls back to data.module_id and skips the event when there is no problem id at all', () => {
    const byModule = serverCheck({ problem_id: null, module_id: PROBLEM });
    assert.equal(one(byModule).object.id, `${LMS}/xblock/${PROBLEM}`);
    assert.equal(skipReason(serverCheck({ problem_id: null })), 'missing_field');
    assert.equal(skipReason(serverCheck({ problem_id: null }), 'erb'), 'missing_field');
  });

  it('requires a referer in erb mode, as ERB does for every problem_check; not by default', () => {
    // Event-bus entries carry no referer; a server check does not use it.
    const noReferer = serverCheck({ submission: { q: submission('x') } }, { referer: null });
    assert.equal(skipReason(noReferer, 'erb'), 'missing_field');
    const withReferer = one(serverCheck({ submission: { q: submission('x') } }), 'valid');
    assert.deepEqual(one(noReferer, 'valid'), withReferer);
  });

  it('skips, in both modes, a server check relabelled as browser: its object has no id', () => {
    for (const relabel of [{ event_source: 'browser' }, {}] as JsonObject[]) {
      const event: OpenEdxEvent = { ...serverCheck({ submission: { q: submission('x') } }, { event_source: 'browser' }), ...relabel };
      // The referer names a vertical, not the problem, so the browser path finds no block.
      assert.equal(skipReason(event, 'erb'), 'missing_object_id');
      assert.equal(skipReason(event, 'valid'), 'missing_object_id');
    }
  });

  it('scores 0 of 0 in ERB form, and without a range in the default form', () => {
    const event = serverCheck({ grade: 0, max_grade: 0, submission: { q: submission('x') } });
    assert.deepEqual(one(event).result?.score, { scaled: 0, raw: 0, min: 0, max: 0 });
    assert.deepEqual(one(event, 'valid').result?.score, { raw: 0 });
  });
});

describe('xAPI problem_check (browser)', () => {
  const browserCheck = (context: JsonObject, data: string | null): OpenEdxEvent => ({
    name: 'problem_check',
    timestamp: TIMESTAMP,
    context: { course_id: COURSE, event_source: 'browser', referer: REFERER, user_id: 3, ...context },
    data,
  });

  it('is attempted, on the block named by the answer data, without a result', () => {
    const s = one(browserCheck({}, `input_${HASH}_2_1=choice_0`));
    assert.equal(s.verb.id, VERB.attempted);
    assert.equal(s.object.id, `${LMS}/xblock/${PROBLEM}`);
    assert.equal(s.result, undefined);
  });

  it("is skipped in both modes without a block: ERB's processor drops an object without an id", () => {
    const event = browserCheck({}, null);
    assert.equal(skipReason(event, 'erb'), 'missing_object_id');
    assert.equal(skipReason(event, 'valid'), 'missing_object_id');
  });

  it('skips, in both modes, a browser check relabelled as server: its object has no id', () => {
    const event: OpenEdxEvent = { ...browserCheck({ event_source: 'server' }, `input_${HASH}_2_1=choice_0`), event_source: 'server' };
    assert.equal(skipReason(event, 'erb'), 'missing_object_id');
    assert.equal(skipReason(event, 'valid'), 'missing_object_id');
  });

  it('finds the block in the answer data without a referer by default; erb mode requires one', () => {
    const event = browserCheck({ referer: null }, `input_${HASH}_2_1=choice_0`);
    assert.equal(skipReason(event, 'erb'), 'missing_field');
    assert.equal(one(event, 'valid').object.id, `${LMS}/xblock/${PROBLEM}`);
  });
});

describe('xAPI problem_check (server, several questions)', () => {
  const multi = serverCheck({
    grade: 1,
    max_grade: 2,
    submission: {
      [`${HASH}_2_1`]: submission('bleu', { question: 'Couleur ?', response_type: 'optionresponse', correct: true }),
      [`${HASH}_3_1`]: { question: 'Which?', answer: ['a', 'ü'], correct: false },
    },
  });

  it('yields the parent, then one child per submission key', () => {
    const [parent, ...children] = statements(multi);
    assert.ok(parent !== undefined);
    assert.equal(parent.object.objectType, 'GroupActivity');
    assert.equal(parent.object.definition?.interactionType, 'other');
    assert.deepEqual(parent.object.definition?.description, { 'en-US': 'Couleur ?' });
    assert.deepEqual(parent.result, { score: { scaled: 0.5, raw: 1, min: 0, max: 2 }, success: true, response: 'bleu' });
    // The last `@` part of the problem id is replaced by the submission key.
    assert.deepEqual(
      children.map((c) => c.object.id),
      [`${LMS}/xblock/${PROBLEM}_2_1`, `${LMS}/xblock/${PROBLEM}_3_1`],
    );
    const [first, second] = children;
    assert.ok(first !== undefined && second !== undefined);
    assert.deepEqual(first.result, { success: true, response: 'bleu' });
    assert.equal(first.object.definition?.interactionType, 'choice');
    // A child without a response type is still a child; its answer list keeps its unicode.
    assert.deepEqual(second.result, { success: false, response: '["a", "ü"]' });
    assert.equal(second.object.definition?.interactionType, 'other');
    for (const child of children) {
      assert.notEqual(child.id, parent.id);
      assert.deepEqual(child.context?.statement, { objectType: 'StatementRef', id: parent.id });
      assert.deepEqual(child.context?.contextActivities?.parent, [parent.object]);
      assert.deepEqual(child.context?.contextActivities?.grouping, parent.context?.contextActivities?.parent);
    }
    assert.equal(new Set(children.map((c) => c.id)).size, children.length);
  });

  it('uses Activity, not GroupActivity, in the default form, with the same ids', () => {
    const erb = statements(multi);
    const valid = statements(multi, 'valid');
    assert.deepEqual(
      valid.map((s) => s.id),
      erb.map((s) => s.id),
    );
    assert.equal(valid[0]?.object.objectType, 'Activity');
    assert.equal(valid[1]?.context?.contextActivities?.parent?.[0]?.objectType, 'Activity');
  });

  it('needs more than one key: a single submission stays a single statement', () => {
    assert.equal(statements(serverCheck({ submission: { only: submission('x') } })).length, 1);
  });
});
