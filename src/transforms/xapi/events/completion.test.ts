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
const BLOCK = 'block-v1:edX+DemoX+Demo_Course+type@problem+block@7c54b16c8ed34f9f8772015178c7a175';
const PROGRESS = 'https://w3id.org/xapi/cmi5/result/extensions/progress';

function completionEvent(data: Record<string, unknown>) {
  return {
    name: 'edx.completion.block_completion.changed',
    timestamp: '2023-08-22T20:16:25.500832Z',
    context: { course_id: COURSE, session: 's1', user_id: 3 },
    data: { user_id: 4, course_id: COURSE, block_id: BLOCK, completion: 1.0, ...data },
  };
}

function transform(raw: unknown, compat: CompatMode) {
  const normalized = normalizeEvent(raw);
  assert.ok(normalized.ok);
  return transformXapi(normalized.event, fixtureContext(compat));
}

/** The statement in both modes (equal here: nothing ERB-specific to fix), checked valid. */
function only(raw: unknown): Statement {
  const [erb, valid] = (['erb', 'valid'] as const).map((compat) => {
    const outcome = transform(raw, compat);
    assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
    return outcome.statements[0] as Statement;
  });
  assert.deepEqual(valid, erb);
  assert.deepEqual(validator.check(valid), []);
  return valid as Statement;
}

function reason(raw: unknown): string {
  const reasons = (['erb', 'valid'] as const).map((compat) => {
    const outcome = transform(raw, compat);
    return outcome.ok ? 'produced' : outcome.reason;
  });
  assert.equal(reasons[0], reasons[1]);
  return reasons[0] as string;
}

describe('xAPI block completion', () => {
  it('is complete only at 1.0, with progress in percent', () => {
    const cases: [unknown, boolean, number][] = [
      [1.0, true, 100],
      [1, true, 100],
      ['1.0', true, 100],
      ['0.5', false, 50],
      [0.25, false, 25],
      [0, false, 0],
    ];
    for (const [completion, complete, progress] of cases) {
      const statement = only(completionEvent({ completion }));
      const expected = { completion: complete, extensions: { [PROGRESS]: progress } };
      assert.deepEqual(statement.result, expected, String(completion));
    }
  });

  it('has the block as a resource in the course', () => {
    const statement = only(completionEvent({}));
    assert.deepEqual(statement.object, {
      id: `http://localhost:18000/xblock/${BLOCK}`,
      objectType: 'Activity',
      definition: { type: 'http://id.tincanapi.com/activitytype/resource' },
    });
    assert.equal(statement.verb.id, 'http://adlnet.gov/expapi/verbs/progressed');
  });

  it('skips without a completion value or block id, and on non-numbers', () => {
    assert.equal(reason(completionEvent({ completion: null })), 'missing_field');
    assert.equal(reason(completionEvent({ completion: '' })), 'missing_field');
    assert.equal(reason(completionEvent({ block_id: undefined })), 'missing_object_id');
    assert.equal(reason(completionEvent({ completion: 'done' })), 'invalid_value');
    assert.equal(reason(completionEvent({ completion: { value: 1 } })), 'invalid_value');
  });

  it('keeps a unicode block id as given', () => {
    const block = 'block-v1:Üni+X+2024+type@html+block@ünïcødé';
    assert.equal(only(completionEvent({ block_id: block })).object.id, `http://localhost:18000/xblock/${block}`);
  });

  it('never fails with anything but a skip on malformed input', () => {
    for (const data of [null, 'text', [], { block_id: ['x'], completion: 1 }, { block_id: 'x', completion: [] }]) {
      const name = 'edx.completion.block_completion.changed';
      const outcome = transform({ name, timestamp: '2023-08-22T20:16:25Z', user_id: 3, data }, 'valid');
      assert.notEqual(outcome.ok ? 'produced' : outcome.reason, 'transform_error', JSON.stringify(data));
    }
  });
});
