import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, OpenEdxEvent } from '../../../core/event.js';
import { fixtureContext } from '../../../../test/support/fixture-context.js';
import type { CompatMode } from '../../shared/transform-settings.js';
import type { Statement } from '../statement.js';
import { transformXapi } from '../transform.js';
import { ACTIVITY, EXTENSION, VERB } from '../vocabulary.js';
import { forumTransformers } from './forum.js';

const LMS = 'http://localhost:18000';
const COURSE = 'course-v1:testX+XAPI101+2019_T2';
const POST = '64abcdfee68f35002fd013c6';

function forumEvent(name: string, data: JsonObject, context: JsonObject = {}): OpenEdxEvent {
  return {
    name,
    timestamp: '2023-07-10T09:23:10.354202+00:00',
    data,
    context: { user_id: 16, course_id: COURSE, path: `/api/discussion/v1/threads/${POST}/`, ...context },
  };
}

function transformOne(event: OpenEdxEvent, compat: CompatMode = 'valid'): Statement {
  const outcome = transformXapi(event, fixtureContext(compat));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  return outcome.statements[0] as Statement;
}

function skipReason(event: OpenEdxEvent, compat: CompatMode = 'valid'): string {
  const outcome = transformXapi(event, fixtureContext(compat));
  return outcome.ok ? 'produced' : outcome.reason;
}

describe('xAPI forum transformers', () => {
  it('registers every forum event ERB registers, and only those', () => {
    const expected = [
      ...['thread', 'response', 'comment'].flatMap((kind) =>
        ['created', 'edited', 'deleted', 'reported', 'unreported'].map((action) => `edx.forum.${kind}.${action}`),
      ),
      'edx.forum.thread.viewed',
      'edx.forum.thread.voted',
      'edx.forum.response.voted',
    ].sort();
    assert.deepEqual(Object.keys(forumTransformers).sort(), expected);
  });

  it('builds the object id from the path with the post id taken out', () => {
    const created = transformOne(forumEvent('edx.forum.thread.created', { id: POST }, { path: '/api/discussion/v1/threads/' }));
    const edited = transformOne(forumEvent('edx.forum.thread.edited', { id: POST }));
    assert.equal(created.object.id, `${LMS}/api/discussion/v1/threads/${POST}`);
    assert.equal(edited.object.id, created.object.id);
  });

  it('strips every trailing slash, as Python rstrip does', () => {
    const statement = transformOne(forumEvent('edx.forum.comment.deleted', { id: 'c1' }, { path: '/api/discussion/v1/comments/c1///' }));
    assert.equal(statement.object.id, `${LMS}/api/discussion/v1/comments/c1`);
  });

  it('leaves out what optional fields are missing: title, thread type, session, course', () => {
    const event: OpenEdxEvent = {
      name: 'edx.forum.thread.created',
      timestamp: '2023-07-10T09:23:10.354202+00:00',
      data: { id: POST, title: '' },
      context: { user_id: 16, path: '/api/discussion/v1/threads/' },
    };
    const statement = transformOne(event);
    assert.deepEqual(statement.object.definition, { type: ACTIVITY.discussion });
    assert.deepEqual(statement.context, {
      extensions: { [EXTENSION.transformerVersion]: 'event-routing-backends@1.1.1' },
    });
    assert.equal(statement.verb.id, VERB.posted);
  });

  it('keeps a unicode title as is, and the id does not depend on it', () => {
    const title = 'Fórum — 討論 🎓 «test»';
    const event = forumEvent(
      'edx.forum.thread.created',
      { id: POST, title, thread_type: 'question' },
      {
        path: '/api/discussion/v1/threads/',
        session: '054c9ddcb76d2096f862e66bda3bc308',
      },
    );
    const statement = transformOne(event, 'erb');
    assert.deepEqual(statement.object.definition?.name, { en: title });
    assert.equal(statement.context?.extensions?.[EXTENSION.mode], 'question');
    // Same verb, actor and timestamp as ERB's thread.created fixture, so the same id.
    assert.equal(statement.id, 'a4e3d431-0281-5b3e-bcf7-0ddbeb8543b2');
  });

  it('reads numbers where strings are expected as their text', () => {
    const statement = transformOne(
      forumEvent(
        'edx.forum.response.voted',
        { id: 42, vote_value: 'up', discussion: { id: 7 } },
        {
          path: '/api/discussion/v1/comments/42/',
        },
      ),
    );
    assert.equal(statement.object.id, `${LMS}/api/discussion/v1/comments/42`);
    assert.equal(statement.context?.extensions?.[EXTENSION.mode], 'up');
    assert.equal(statement.context?.contextActivities?.grouping?.[0]?.id, `${LMS}/api/discussion/v1/threads/7`);
  });

  it('puts the thread in grouping, beside the course parent', () => {
    const statement = transformOne(forumEvent('edx.forum.comment.created', { id: POST, discussion: { id: 'T1' } }));
    const activities = statement.context?.contextActivities;
    assert.equal(activities?.parent?.[0]?.id, `${LMS}/course/${COURSE}`);
    assert.deepEqual(activities?.grouping, [{ id: `${LMS}/api/discussion/v1/threads/T1`, objectType: 'Activity', definition: { type: ACTIVITY.discussion } }]);
  });

  it('keeps the thread grouping when there is no course (ERB crashes there)', () => {
    const event = forumEvent('edx.forum.comment.created', { id: POST, discussion: { id: 'T1' } });
    delete (event['context'] as JsonObject)['course_id'];
    const activities = transformOne(event).context?.contextActivities;
    assert.equal(activities?.parent, undefined);
    assert.equal(activities?.grouping?.length, 1);
  });

  it('skips with missing_field when the post id or the path is missing', () => {
    assert.equal(skipReason(forumEvent('edx.forum.thread.viewed', { title: 'x' })), 'missing_field');
    assert.equal(skipReason(forumEvent('edx.forum.thread.viewed', { id: '' })), 'missing_field');
    const noPath = forumEvent('edx.forum.thread.viewed', { id: POST });
    delete (noPath['context'] as JsonObject)['path'];
    assert.equal(skipReason(noPath), 'missing_field');
    assert.equal(skipReason(noPath, 'erb'), 'missing_field');
  });

  it('skips with invalid_value when the path is not text', () => {
    assert.equal(skipReason(forumEvent('edx.forum.thread.viewed', { id: POST }, { path: { a: 1 } })), 'invalid_value');
  });

  it('drops anonymous events as unknown_user, before looking at other fields', () => {
    const anonymous = forumEvent('edx.forum.thread.viewed', { id: POST }, { user_id: null, username: '' });
    assert.equal(skipReason(anonymous), 'unknown_user');
    const anonymousAndBroken = forumEvent('edx.forum.thread.viewed', {}, { user_id: null });
    assert.equal(skipReason(anonymousAndBroken), 'unknown_user');
  });
});
