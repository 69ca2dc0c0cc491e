import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { normalizeEvent } from '../../core/event.js';
import { FIXTURE_LOOKUPS, fixtureContext } from '../../../test/support/fixture-context.js';
import { pythonJsonDumps } from '../shared/python-json.js';
import type { Lookups } from '../shared/lookups.js';
import type { IfiType } from '../shared/transform-settings.js';
import { NAMESPACE_DNS, uuid5 } from '../shared/uuid5.js';
import { createXapiValidator } from './schema-validator.js';
import type { Statement } from './statement.js';
import { transformXapi } from './transform.js';

// XAPI_AGENT_IFI_TYPE (erb-reference §7.3, §7.4): the actor's form, and with it every statement id.
const validator = createXapiValidator();
const TIMESTAMP = '2020-07-15T06:36:01.917775+00:00';
const REGISTERED = { id: 'http://adlnet.gov/expapi/verbs/registered', display: { en: 'registered' } };

function enrollment(user: number | string = 3) {
  const course = 'course-v1:edX+DemoX+Demo_Course';
  return {
    name: 'edx.course.enrollment.activated',
    timestamp: TIMESTAMP,
    context: { course_id: course, user_id: user },
    data: { course_id: course, user_id: user, mode: 'audit' },
  };
}

function statementFor(ifiType: IfiType, lookups: Lookups = FIXTURE_LOOKUPS, user?: number | string): Statement {
  const normalized = normalizeEvent(enrollment(user));
  assert.ok(normalized.ok);
  const outcome = transformXapi(normalized.event, fixtureContext('valid', { ifiType, lookups }));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  const [statement] = outcome.statements;
  assert.ok(statement);
  assert.deepEqual(validator.check(statement), []);
  return statement;
}

/** ERB's recipe, written out independently: uuid5(uuid5(DNS, verb JSON), `<actor JSON>-<timestamp>`). */
function erbId(actor: object): string {
  return uuid5(uuid5(NAMESPACE_DNS, pythonJsonDumps(REGISTERED)), `${pythonJsonDumps(actor)}-${TIMESTAMP}`);
}

const withEmail = (email: string | undefined): Lookups => ({ ...FIXTURE_LOOKUPS, email: () => email });

describe('actor per XAPI_AGENT_IFI_TYPE', () => {
  it('external_id (the default): an account with the anonymous id on the LMS', () => {
    const statement = statementFor('external_id');
    const actor = { objectType: 'Agent', account: { name: '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb', homePage: 'http://localhost:18000' } };
    assert.deepEqual(statement.actor, actor);
    assert.equal(statement.id, erbId(actor));
    assert.equal(statement.id, 'bb946682-b0b9-5dc2-a17c-605ef5833c98', 'ERB test vector');
  });

  it('mbox: the learner’s email as a mailto: IRI, added only when missing', () => {
    const statement = statementFor('mbox');
    assert.deepEqual(statement.actor, { objectType: 'Agent', mbox: 'mailto:3@example.com' });
    assert.equal(statement.id, erbId(statement.actor));
    assert.deepEqual(statementFor('mbox', withEmail('mailto:ada@example.com')).actor, { objectType: 'Agent', mbox: 'mailto:ada@example.com' });
  });

  it('mbox_sha1sum: the SHA-1 of the bare email, as ERB hashes it (not of the mailto: IRI)', () => {
    const statement = statementFor('mbox_sha1sum', withEmail('Ada.Lovelace@example.com'));
    const hash = createHash('sha1').update('Ada.Lovelace@example.com', 'utf8').digest('hex');
    assert.deepEqual(statement.actor, { objectType: 'Agent', mbox_sha1sum: hash });
    assert.equal(statement.id, erbId(statement.actor));
    const prefixed = statementFor('mbox_sha1sum', withEmail('mailto:Ada.Lovelace@example.com'));
    assert.deepEqual(prefixed.actor, statement.actor, 'a stored mailto: prefix is not hashed');
  });

  it('a user without an email is sent as unknown@example.com in the email forms, not dropped', () => {
    const none = withEmail(undefined);
    assert.deepEqual(statementFor('mbox', none).actor, { objectType: 'Agent', mbox: 'mailto:unknown@example.com' });
    const hash = createHash('sha1').update('unknown@example.com').digest('hex');
    assert.deepEqual(statementFor('mbox_sha1sum', none).actor, { objectType: 'Agent', mbox_sha1sum: hash });
  });

  it('the same event gets a different id in each form, and the same id again in the same form', () => {
    const ids = (['external_id', 'mbox', 'mbox_sha1sum'] as const).map((ifi) => statementFor(ifi).id);
    assert.equal(new Set(ids).size, 3);
    // The actor bytes are cached per learner and IFI type: switching back must not reuse another form's.
    assert.deepEqual(
      (['external_id', 'mbox', 'mbox_sha1sum'] as const).map((ifi) => statementFor(ifi).id),
      ids,
    );
  });
});
