import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SkipEventError } from '../../core/errors.js';
import type { Statement } from './statement.js';
import { hasScheme, requireObjectIds, toValidForm } from './valid-form.js';

function statement(parts: Partial<Statement>): Statement {
  return {
    id: '00000000-0000-5000-8000-000000000000',
    version: '1.0.3',
    actor: { objectType: 'Agent', account: { name: 'a', homePage: 'http://lms' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { en: 'attempted' } },
    object: { id: 'http://lms/xblock/x', objectType: 'Activity' },
    timestamp: '2020-01-01T00:00:00+00:00',
    ...parts,
  };
}

describe('toValidForm', () => {
  it('rewrites GroupActivity to Activity on the object and in context activities', () => {
    const [s] = toValidForm([
      statement({
        object: { id: 'http://lms/x', objectType: 'GroupActivity' },
        context: { contextActivities: { parent: [{ id: 'http://lms/p', objectType: 'GroupActivity' }] } },
      }),
    ]);
    assert.equal(s?.object.objectType, 'Activity');
    assert.equal(s?.context?.contextActivities?.parent?.[0]?.objectType, 'Activity');
  });

  it('turns a bare UUID activity id into a urn:uuid IRI and refuses other non-IRIs', () => {
    const [s] = toValidForm([
      statement({ context: { contextActivities: { grouping: [{ id: '438AD672-DE2C-4F0B-8876-35444E7DD746', objectType: 'Activity' }] } } }),
    ]);
    assert.equal(s?.context?.contextActivities?.grouping?.[0]?.id, 'urn:uuid:438AD672-DE2C-4F0B-8876-35444E7DD746');
    assert.throws(
      () => toValidForm([statement({ context: { contextActivities: { grouping: [{ id: 'not an iri', objectType: 'Activity' }] } } })]),
      (e: unknown) => e instanceof SkipEventError && e.reason === 'invalid_value',
    );
  });

  it('leaves out grouping activities without an id, and the grouping when none is left', () => {
    const attempt = { objectType: 'Activity', definition: { type: 'http://x/attempt' } } as never;
    const [none] = toValidForm([
      statement({ context: { contextActivities: { parent: [{ id: 'http://lms/p', objectType: 'Activity' }], grouping: [attempt] } } }),
    ]);
    assert.deepEqual(none?.context?.contextActivities, { parent: [{ id: 'http://lms/p', objectType: 'Activity' }] });
    const other = { id: 'http://lms/g', objectType: 'Activity' } as const;
    const [some] = toValidForm([statement({ context: { contextActivities: { grouping: [attempt, other] } } })]);
    assert.deepEqual(some?.context?.contextActivities, { grouping: [other] });
  });

  it('refuses an activity id whose scheme Learning Locker would refuse (a bare usage key)', () => {
    const key = 'block-v1:edX+DemoX+Demo_Course+type@sequential+block@5b4b';
    assert.throws(
      () => toValidForm([statement({ object: { id: key, objectType: 'Activity' } })]),
      (e: unknown) => e instanceof SkipEventError && e.reason === 'invalid_value',
    );
  });
});

describe('requireObjectIds', () => {
  it('skips an event when one of its statements has an object without an id', () => {
    const idless = statement({ object: { objectType: 'Activity' } as never });
    assert.throws(
      () => requireObjectIds([statement({}), idless]),
      (e: unknown) => e instanceof SkipEventError && e.reason === 'missing_object_id',
    );
    assert.equal(requireObjectIds([statement({})]).length, 1);
  });

  it('drops score bounds that xAPI forbids, keeping raw', () => {
    const [zero] = toValidForm([statement({ result: { score: { scaled: 0, raw: 0, min: 0, max: 0 } } })]);
    assert.deepEqual(zero?.result?.score, { raw: 0 });
    const [over] = toValidForm([statement({ result: { score: { scaled: 1.5, raw: 3, min: 0, max: 2 } } })]);
    assert.deepEqual(over?.result?.score, { raw: 3 });
    const [fine] = toValidForm([statement({ result: { score: { scaled: 0.5, raw: 1, min: 0, max: 2 } } })]);
    assert.deepEqual(fine?.result?.score, { scaled: 0.5, raw: 1, min: 0, max: 2 });
  });
});

describe('toValidForm durations', () => {
  const withDuration = (duration: string): string | undefined => toValidForm([statement({ result: { duration } })])[0]?.result?.duration;
  it('truncates seconds to hundredths and drops negative durations', () => {
    assert.equal(withDuration('PT03M14.381S'), 'PT03M14.38S');
    assert.equal(withDuration('PT05.001S'), 'PT05S');
    assert.equal(withDuration('PT05.5S'), 'PT05.5S');
    assert.equal(withDuration('PT05S'), 'PT05S');
    assert.equal(withDuration('P-1DT23H59M55S'), undefined);
  });
});

describe('hasScheme', () => {
  it('agrees with the rules of RFC 3987 and of Learning Locker (`^\\w+:`) taken together', () => {
    const rfc3987 = /^[A-Za-z][A-Za-z0-9+.-]*:/;
    const learningLocker = /^\w+:/;
    const rule = { test: (id: string) => rfc3987.test(id) && learningLocker.test(id) };
    const cases = ['http://x', 'urn:uuid:1', 'a:', 'A1+.-:b', '1a:', ':x', '', 'abc', 'ab c:d', 'é:x', 'x-y.z+w:', 'x_y:', '9', 'h:'];
    for (const chars of ['a', 'Z', '0', '+', '.', '-', ':', '/', '_', ' ']) {
      cases.push(`${chars}b:`, `b${chars}:`, `b${chars}`);
    }
    for (const id of cases) assert.equal(hasScheme(id), rule.test(id), id);
  });
});
