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
const EXAM = 'block-v1:edX+DemoX+Demo_Course+type@sequential+block@5b4bf8d7d41c4070b299abefed74155e';
const CODE = '438AD672-DE2C-4F0B-8876-35444E7DD746';

const PAYLOAD = {
  exam_id: 1,
  exam_content_id: EXAM,
  exam_name: 'Subsection',
  exam_default_time_limit_mins: 60,
  attempt_id: 1,
  attempt_started_at: '2023-09-08T15:58:04.838598+00:00',
  attempt_completed_at: '2023-09-08T16:20:53.577698+00:00',
  attempt_code: CODE,
  attempt_event_elapsed_time_secs: 1368.7657,
};

/** Live shape (edx-proctoring's tracker.emit): `data` only, no `event`. */
function liveEvent(name: string, payload: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return {
    name,
    timestamp: '2023-09-08T16:20:53.604375+00:00',
    context: { course_id: COURSE, user_id: 3, ...context },
    session: 's1',
    data: { ...PAYLOAD, ...payload },
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

function reason(raw: unknown, compat: CompatMode = 'erb'): string {
  const outcome = transform(raw, compat);
  return outcome.ok ? 'produced' : outcome.reason;
}

describe('xAPI special exam attempts', () => {
  it('works on the live shape (data only), where ERB itself fails, like on the log shape', () => {
    const live = liveEvent('edx.special_exam.proctored.attempt.submitted');
    const { data, timestamp, ...rest } = live;
    const logShape = { ...rest, time: timestamp, event: data };
    assert.deepEqual(only(live), only(logShape));
  });

  it('maps type and verb by event name', () => {
    for (const kind of ['timed', 'practice', 'proctored']) {
      for (const [step, verb] of [
        ['created', 'initialized'],
        ['submitted', 'terminated'],
      ]) {
        const statement = only(liveEvent(`edx.special_exam.${kind}.attempt.${step}`), 'valid');
        assert.equal(statement.verb.id, `http://adlnet.gov/expapi/verbs/${verb}`);
        assert.equal(statement.object.definition?.type, `https://w3id.org/xapi/openedx/activity/${kind}-assessment`);
      }
    }
  });

  it("keeps ERB's bare ids in erb mode; by default the exam is an xblock IRI, the attempt a urn:uuid", () => {
    const event = liveEvent('edx.special_exam.timed.attempt.created');
    const erb = only(event, 'erb');
    assert.equal(erb.object.id, EXAM);
    assert.equal(erb.context?.contextActivities?.grouping?.[0]?.id, CODE);
    const valid = only(event, 'valid');
    assert.equal(valid.object.id, `http://localhost:18000/xblock/${EXAM}`);
    assert.equal(valid.context?.contextActivities?.grouping?.[0]?.id, `urn:uuid:${CODE}`);
    assert.equal(valid.id, erb.id);
  });

  it("without an attempt code: ERB's id-less attempt in erb mode, no grouping by default", () => {
    for (const code of [undefined, null, '']) {
      const event = liveEvent('edx.special_exam.proctored.attempt.submitted', { attempt_code: code });
      const erb = only(event, 'erb');
      const grouping = erb.context?.contextActivities?.grouping;
      assert.equal(grouping?.length, 1);
      assert.equal(Object.hasOwn(JSON.parse(JSON.stringify(grouping?.[0])) as object, 'id'), false);
      assert.equal(grouping?.[0]?.definition?.type, 'http://adlnet.gov/expapi/activities/attempt');
      const valid = only(event, 'valid');
      assert.equal(valid.context?.contextActivities?.grouping, undefined);
      assert.equal(valid.context?.contextActivities?.parent?.[0]?.id, `http://localhost:18000/course/${COURSE}`);
      assert.equal(valid.id, erb.id);
    }
  });

  it('leaves out attempt extensions that are null on a just-created attempt', () => {
    const statement = only(
      liveEvent('edx.special_exam.practice.attempt.created', {
        attempt_started_at: null,
        attempt_completed_at: null,
        attempt_event_elapsed_time_secs: null,
        exam_default_time_limit_mins: null,
      }),
    );
    assert.deepEqual(statement.context?.contextActivities?.grouping?.[0]?.definition?.extensions, {
      'http://id.tincanapi.com/extension/attempt-id': 1,
    });
    assert.deepEqual(statement.object.definition?.extensions, {});
  });

  it('keeps unicode names and passes numbers-as-text extensions through unchanged, as ERB', () => {
    const statement = only(
      liveEvent('edx.special_exam.timed.attempt.submitted', {
        exam_name: 'Prüfung ✓ 試験',
        exam_default_time_limit_mins: '60',
      }),
      'valid',
    );
    assert.deepEqual(statement.object.definition?.name, { en: 'Prüfung ✓ 試験' });
    assert.deepEqual(statement.context?.contextActivities?.grouping?.[0]?.definition?.name, { en: 'Prüfung ✓ 試験' });
    const timeLimit = 'https://w3id.org/xapi/acrossx/extensions/time-limit';
    assert.deepEqual(statement.object.definition?.extensions, { [timeLimit]: '60' });
  });

  it('skips, in both modes, when a field ERB needs is missing', () => {
    const name = 'edx.special_exam.timed.attempt.submitted';
    for (const compat of ['erb', 'valid'] as const) {
      assert.equal(reason(liveEvent(name, { exam_content_id: null }), compat), 'missing_object_id');
      assert.equal(reason(liveEvent(name, { exam_name: '' }), compat), 'missing_field');
      assert.equal(reason(liveEvent(name, {}, { course_id: undefined }), compat), 'missing_field');
      assert.equal(reason(liveEvent(name, { exam_name: { en: 'x' } }), compat), 'invalid_value');
    }
  });

  it('skips an attempt code that is neither an IRI nor a UUID in default mode', () => {
    const event = liveEvent('edx.special_exam.timed.attempt.submitted', { attempt_code: 'not a uuid' });
    assert.equal(reason(event, 'erb'), 'produced');
    assert.equal(reason(event, 'valid'), 'invalid_value');
  });

  it('never fails with anything but a skip on malformed input', () => {
    const oddCode = { exam_content_id: 'x', exam_name: 'n', attempt_code: 5 };
    const odd = [null, 'text', [], { exam_content_id: ['x'] }, oddCode];
    for (const data of odd) {
      const name = 'edx.special_exam.timed.attempt.created';
      const context = { course_id: COURSE };
      const outcome = transform({ name, timestamp: '2023-09-08T16:20:53Z', user_id: 3, context, data }, 'valid');
      assert.notEqual(outcome.ok ? 'produced' : outcome.reason, 'transform_error', JSON.stringify(data));
    }
  });
});
