import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenEdxEvent } from '../../core/event.js';
import { fixtureContext, FIXTURE_LOOKUPS } from '../../../test/support/fixture-context.js';
import type { CompatMode } from '../shared/transform-settings.js';
import type { CaliperEvent } from './caliper-event.js';
import { checkCaliperEvent } from './structural-check.js';
import { transformCaliper } from './transform.js';

const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const LMS = 'http://localhost:18000';

function event(name: string, data: unknown, context: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): OpenEdxEvent {
  return {
    name,
    timestamp: '2024-03-01T10:20:30.123456+00:00',
    context: { user_id: 7, username: 'learner', course_id: COURSE, session: 'abc', ...context },
    data,
    ...extra,
  } as OpenEdxEvent;
}

function one(input: OpenEdxEvent, mode: CompatMode = 'valid'): CaliperEvent {
  const outcome = transformCaliper(input, fixtureContext(mode));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  const produced = outcome.statements[0] as CaliperEvent;
  if (mode === 'valid') assert.deepEqual(checkCaliperEvent(produced), []);
  return produced;
}

function reason(input: OpenEdxEvent, mode: CompatMode = 'valid'): string {
  const outcome = transformCaliper(input, fixtureContext(mode));
  return outcome.ok ? 'produced' : outcome.reason;
}

const object = (e: CaliperEvent): Record<string, unknown> => e['object'] as Record<string, unknown>;
const target = (e: CaliperEvent): Record<string, unknown> => e['target'] as Record<string, unknown>;

describe('transformCaliper: names', () => {
  it('skips names without a transformer, with the written reason when there is one', () => {
    const passed = transformCaliper(event('edx.course.grade.now_passed', { course_id: COURSE }), fixtureContext('valid'));
    assert.equal(passed.ok, false);
    assert.ok(!passed.ok && passed.reason === 'unsupported_event' && passed.message.includes('allow-list'));
    const forum = transformCaliper(event('edx.forum.thread.created', {}), fixtureContext('valid'));
    assert.ok(!forum.ok && forum.message.includes('xAPI only'));
    const other = transformCaliper(event('some.custom.event', {}), fixtureContext('valid'));
    assert.ok(!other.ok && other.message === 'no Caliper transformer for event "some.custom.event"');
  });

  it('is not fooled by names that are Object.prototype members', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const outcome = transformCaliper(event(name, {}), fixtureContext('valid'));
      assert.ok(!outcome.ok && outcome.reason === 'unsupported_event' && typeof outcome.message === 'string');
    }
  });
});

describe('transformCaliper: base fields', () => {
  it('writes eventTime in UTC with milliseconds truncated, whatever the offset or separator', () => {
    const at = (timestamp: unknown): string => one({ ...event('load_video', { id: 'v1' }), timestamp } as OpenEdxEvent).eventTime;
    assert.equal(at('2024-03-01T10:20:30.999999+02:00'), '2024-03-01T08:20:30.999Z');
    assert.equal(at('2024-03-01 10:20:30Z'), '2024-03-01T10:20:30.000Z');
    assert.equal(at('2024-03-01T10:20:30.5'), '2024-03-01T10:20:30.500Z'); // naive: taken as UTC
    assert.equal(at('2024-03-01T00:10:00-01:30'), '2024-03-01T01:40:00.000Z');
  });

  it('skips events without a usable timestamp, before looking at the user', () => {
    const noTime = event('load_video', { id: 'v1' }, { user_id: null, username: '' });
    delete (noTime as Record<string, unknown>)['timestamp'];
    assert.equal(reason(noTime), 'missing_field');
    assert.equal(reason({ ...event('load_video', { id: 'v1' }), timestamp: 'yesterday' }), 'invalid_value');
    assert.equal(reason({ ...event('load_video', { id: 'v1' }), timestamp: 1700000000 }), 'invalid_value');
    assert.equal(reason({ ...event('load_video', { id: 'v1' }), timestamp: '2024-02-30T10:00:00Z' }), 'invalid_value');
  });

  it('skips events of anonymous or unknown users', () => {
    assert.equal(reason(event('load_video', { id: 'v1' }, { user_id: null, username: '' })), 'unknown_user');
    const unknown = transformCaliper(event('load_video', { id: 'v1' }), {
      ...fixtureContext('valid'),
      lookups: { ...FIXTURE_LOOKUPS, anonymousId: () => undefined },
    });
    assert.ok(!unknown.ok && unknown.reason === 'unknown_user');
  });

  it('asks the lookups for the Caliper anonymous id of the learner named in data first', () => {
    const asked: Array<[string, string]> = [];
    const outcome = transformCaliper(event('edx.course.enrollment.activated', { course_id: COURSE, user_id: 42 }), {
      ...fixtureContext('valid'),
      lookups: { ...FIXTURE_LOOKUPS, anonymousId: (user, kind) => (asked.push([user, kind]), `anon-${user}`) },
    });
    assert.ok(outcome.ok);
    assert.deepEqual(asked, [['42', 'caliper']]);
    assert.deepEqual(outcome.statements[0]?.['actor'], { id: `${LMS}/user/anon-42`, type: 'Person' });
  });

  it('writes the session when there is one (numbers as text) and leaves it out otherwise', () => {
    assert.deepEqual(one(event('load_video', { id: 'v1' }, { session: 12 }))['session'], {
      id: `${LMS}/sessions/12`,
      type: 'Session',
    });
    assert.equal(one(event('load_video', { id: 'v1' }, { session: '' }))['session'], undefined);
  });

  it('never throws: a failing lookup becomes a transform_error skip', () => {
    const outcome = transformCaliper(event('load_video', { id: 'v1' }), {
      ...fixtureContext('valid'),
      lookups: {
        ...FIXTURE_LOOKUPS,
        anonymousId: () => {
          throw new Error('database down');
        },
      },
    });
    assert.ok(!outcome.ok && outcome.reason === 'transform_error' && outcome.message.includes('database down'));
  });

  it('does not modify the input event (ERB removes data.id from sequence events)', () => {
    const input = event('edx.ui.lms.sequence.next_selected', {
      id: 'block-v1:x+y+z+type@sequential+block@s',
      tab_count: 3,
      current_tab: 1,
      nested: { a: null },
    });
    const before = JSON.parse(JSON.stringify(input)) as unknown;
    one(input);
    one(input, 'erb');
    assert.deepEqual(input, before);
  });
});

describe('transformCaliper: enrollment family', () => {
  it('names the course, falls back to its id for unknown courses and notes it', () => {
    const outcome = transformCaliper(event('edx.course.enrollment.deactivated', { course_id: COURSE, mode: 'verified' }), {
      ...fixtureContext('valid'),
      lookups: { ...FIXTURE_LOOKUPS, courseName: () => undefined },
    });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.notes, ['unknown_course']);
    assert.deepEqual(outcome.statements[0]?.['object'], {
      extensions: { mode: 'verified' },
      id: `${LMS}/course/${COURSE}`,
      type: 'CourseOffering',
      name: COURSE,
    });
  });

  it('needs data.course_id; the mode is optional; data.course_id names the course without context', () => {
    assert.equal(reason(event('edx.course.enrollment.activated', { mode: 'audit' })), 'missing_field');
    const noContext = one(event('edx.course.grade.passed.first_time', { course_id: COURSE }, { course_id: undefined }));
    assert.deepEqual(object(noContext), { id: `${LMS}/course/${COURSE}`, type: 'CourseOffering', name: 'Demonstration Course' });
    assert.equal(noContext.action, 'Completed');
  });
});

describe('transformCaliper: navigation family', () => {
  it('writes WebPage by default and Webpage in compat erb, with the same id', () => {
    const input = event('edx.ui.lms.link_clicked', { target_url: 'https://example.org/a' });
    const valid = one(input);
    const erb = one(input, 'erb');
    assert.equal(object(valid)['type'], 'WebPage');
    assert.equal(object(erb)['type'], 'Webpage');
    assert.equal(valid.id, erb.id);
  });

  it('needs a target URL and adds isPartOf only when there is a course', () => {
    assert.equal(reason(event('edx.ui.lms.outline.selected', { target_name: 'x' })), 'missing_field');
    const bare = one(event('edx.ui.lms.link_clicked', { target_url: 'https://example.org/a' }, { course_id: undefined }));
    assert.deepEqual(object(bare), { id: 'https://example.org/a', type: 'WebPage' });
  });

  it('keeps an emptied extensions object on sequence events as ERB does', () => {
    const unit = one(event('edx.ui.lms.sequence.tab_selected', { id: 'block-v1:a+b+c+type@sequential+block@s' }, { course_id: undefined }));
    assert.deepEqual(object(unit), {
      id: `${LMS}/xblock/block-v1:a+b+c+type@sequential+block@s`,
      type: 'DigitalResourceCollection',
      name: 'Unit',
      extensions: {},
    });
    assert.equal(reason(event('edx.ui.lms.sequence.next_selected', { tab_count: 2 })), 'missing_field');
  });

  it('sends the older outline event down the unit branch as a DigitalResource', () => {
    const outline = one(event('edx.ui.lms.sequence.outline.selected', { id: 'block-v1:a+b+c+type@sequential+block@s', target_tab: 2 }));
    assert.equal(object(outline)['type'], 'DigitalResource');
    assert.equal((object(outline)['extensions'] as Record<string, unknown>)['target'], 2);
  });
});

describe('transformCaliper: video family', () => {
  it('renders durations and positions as isodate does, leaving out what is missing', () => {
    const e = one(event('pause_video', { id: 'v1', duration: '195', currentTime: 0, current_time: 12.5 }));
    assert.equal(object(e)['id'], `${LMS}/xblock/block-v1:edX+DemoX+Demo_Course+type@video+block@v1`);
    assert.equal(object(e)['duration'], 'PT3M15S');
    assert.equal(target(e)['currentTime'], 'PT12.5S');
    const nullDuration = one(event('edx.video.closed_captions.hidden', { id: 'v1', duration: null }));
    assert.equal(object(nullDuration)['duration'], undefined);
    assert.equal(target(nullDuration)['currentTime'], undefined);
    const zeros = one(event('play_video', { id: 'v1', currentTime: 0, current_time: 0 }));
    assert.equal(object(zeros)['duration'], 'P0D');
    assert.equal(target(zeros)['currentTime'], 'P0D');
    const text = one(event('play_video', { id: 'v1', duration: 'long', currentTime: 'soon' }));
    assert.equal(object(text)['duration'], undefined);
    assert.equal(target(text)['currentTime'], undefined);
  });

  it('leaves out negative positions by default; compat erb keeps them', () => {
    const input = event('seek_video', { id: 'v1', old_time: -2, new_time: -1 });
    assert.deepEqual(target(one(input)), { id: '_:MediaLocation', type: 'MediaLocation', extensions: {} });
    assert.deepEqual(target(one(input, 'erb')), {
      id: '_:MediaLocation',
      type: 'MediaLocation',
      currentTime: '-PT2S',
      extensions: { newTime: '-PT1S' },
    });
  });

  it('keeps an emptied target.extensions on seeks without new_time, as ERB does', () => {
    assert.deepEqual(target(one(event('edx.video.position.changed', { id: 'v1', currentTime: 3 }))), {
      id: '_:MediaLocation',
      type: 'MediaLocation',
      currentTime: 'PT3S',
      extensions: {},
    });
  });

  it('needs a course key and a video id', () => {
    assert.equal(reason(event('stop_video', { id: 'v1' }, { course_id: undefined })), 'missing_field');
    assert.equal(reason(event('stop_video', { id: 'v1' }, { course_id: 'not-a-key' })), 'invalid_value');
    assert.equal(reason(event('stop_video', {})), 'missing_field');
    assert.equal(reason(event('stop_video', 'id=v1')), 'missing_field');
  });

  it('carries the speeds as the player wrote them', () => {
    const e = one(event('speed_change_video', { id: 'v1', old_speed: '1.0', new_speed: 2 }));
    assert.deepEqual(e['extensions'], { transformerVersion: 'event-routing-backends@1.1.1', oldSpeed: '1.0', newSpeed: 2 });
    assert.equal(e.action, 'ChangedSpeed');
  });

  it('maps every alias to the same action', () => {
    const pairs: Array<[string, string]> = [
      ['load_video', 'Started'],
      ['edx.video.loaded', 'Started'],
      ['play_video', 'Resumed'],
      ['edx.video.played', 'Resumed'],
      ['pause_video', 'Paused'],
      ['edx.video.paused', 'Paused'],
      ['stop_video', 'Ended'],
      ['edx.video.stopped', 'Ended'],
      ['complete_video', 'Ended'],
      ['edx.video.completed', 'Ended'],
      ['seek_video', 'JumpedTo'],
      ['edx.video.position.changed', 'JumpedTo'],
      ['show_transcript', 'EnabledClosedCaptioning'],
      ['edx.video.transcript.shown', 'EnabledClosedCaptioning'],
      ['video_show_cc_menu', 'EnabledClosedCaptioning'],
      ['edx.video.closed_captions.shown', 'EnabledClosedCaptioning'],
      ['hide_transcript', 'DisabledClosedCaptioning'],
      ['edx.video.transcript.hidden', 'DisabledClosedCaptioning'],
      ['video_hide_cc_menu', 'DisabledClosedCaptioning'],
      ['edx.video.closed_captions.hidden', 'DisabledClosedCaptioning'],
      ['speed_change_video', 'ChangedSpeed'],
    ];
    for (const [name, action] of pairs) assert.equal(one(event(name, { id: 'v1' })).action, action, name);
  });
});

describe('transformCaliper: problem family', () => {
  const PROBLEM = 'block-v1:edX+DemoX+Demo_Course+type@problem+block@p1';
  const referer = `${LMS}/courses/${COURSE}/courseware/a/b/?activate_block_id=${encodeURIComponent(PROBLEM)}`;

  it('finds the problem in data, else in the referer, else in browser data', () => {
    assert.equal(object(one(event('showanswer', { problem_id: PROBLEM })))['id'], `${LMS}/xblock/${PROBLEM}/solution`);
    assert.equal(object(one(event('showanswer', {}, { referer })))['id'], `${LMS}/xblock/${PROBLEM}/solution`);
    const browser = one(event('problem_check', 'input_abc123_2_1=choice_0', { event_source: 'browser', referer: `${LMS}/x` }));
    assert.equal(object(browser)['id'], `${LMS}/xblock/block-v1:edX+DemoX+Demo_Course+type@problem+block@abc123`);
    assert.equal(browser.type, 'AssessmentEvent');
  });

  it('without a problem: skipped by default; ERB writes "None" or leaves the id out', () => {
    const input = event('showanswer', {}, { referer: `${LMS}/x` });
    assert.equal(reason(input), 'missing_object_id');
    assert.equal(object(one(input, 'erb'))['id'], `${LMS}/xblock/None/solution`);
    const check = event('problem_check', 'nothing', { referer: `${LMS}/x`, event_source: 'browser', course_id: undefined });
    assert.equal(reason(check), 'missing_object_id');
    assert.deepEqual(object(one(check, 'erb')), { type: 'Assessment' });
    // No referer either: ERB requires one; by default the event still names no problem.
    assert.equal(reason(event('showanswer', {}), 'erb'), 'missing_field');
    assert.equal(reason(event('showanswer', {})), 'missing_object_id');
  });

  it('formats the hint index as ERB does', () => {
    const hint = one(event('edx.problem.hint.demandhint_displayed', { module_id: PROBLEM, hint_index: 0 }));
    assert.equal(object(hint)['id'], `${LMS}/xblock/${PROBLEM}/hint/0`);
    assert.equal(object(hint)['name'], 'Hint');
  });

  it('grades server problem_check, even without a course, and reads success as ERB does', () => {
    const graded = one(
      event(
        'problem_check',
        { problem_id: PROBLEM, attempts: 2, grade: 1, max_grade: 1, success: 'correct' },
        {
          event_source: 'server',
          course_id: undefined,
        },
      ),
    );
    assert.equal(graded.type, 'GradeEvent');
    assert.equal(object(graded)['id'], `${LMS}/xblock/${PROBLEM}/user/32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb/attempt/2`);
    assert.deepEqual(graded['generated'], {
      id: '_:score',
      type: 'Score',
      maxScore: 1,
      scoreGiven: 1,
      extensions: { success: 'True', attempts: 2 },
    });
    const erb = one(event('problem_check', { problem_id: PROBLEM, grade: 0, max_grade: 1 }, { event_source: 'server' }), 'erb');
    assert.deepEqual(erb['generated'], {
      score: { id: '_:score', type: 'Score', maxScore: 1, scoreGiven: 0, extensions: { success: 'False' } },
    });
    assert.ok(String(object(erb)['id']).endsWith('/attempt/'));
  });

  it('reads a grade given as numeric text as a number by default (Caliper scores are numbers)', () => {
    const data = { problem_id: PROBLEM, attempts: 1, grade: '2', max_grade: ' 4 ', success: 'incorrect' };
    const graded = one(event('problem_check', data, { event_source: 'server' }));
    assert.deepEqual(graded['generated'], {
      id: '_:score',
      type: 'Score',
      maxScore: 4,
      scoreGiven: 2,
      extensions: { success: 'False', attempts: 1 },
    });
    const unreadable = one(event('problem_check', { ...data, grade: 'n/a' }, { event_source: 'server' }));
    assert.equal(Object.hasOwn(unreadable['generated'] as object, 'scoreGiven'), false);
    const erb = one(event('problem_check', data, { event_source: 'server' }), 'erb');
    assert.equal((erb['generated'] as { score: Record<string, unknown> }).score['scoreGiven'], '2');
  });

  it('finds the browser problem_check block in the answer data without a referer by default', () => {
    const hash = PROBLEM.slice(PROBLEM.lastIndexOf('@') + 1);
    const browser = event('problem_check', `input_${hash}_2_1=choice_0`, { event_source: 'browser', referer: undefined });
    assert.equal(object(one(browser))['id'], `${LMS}/xblock/${PROBLEM}`);
    assert.equal(reason(browser, 'erb'), 'missing_field');
  });

  it('submits problem_check when the event source is not "server" in the context', () => {
    const e = one(event('problem_check', { problem_id: PROBLEM }, { event_source: 'browser' }, { event_source: 'server' }));
    assert.equal(e.type, 'AssessmentEvent');
    assert.equal(e.action, 'Submitted');
  });

  it('supports the events ERB registers but does not allow by default', () => {
    assert.equal(one(event('edx.grades.problem.submitted', { problem_id: PROBLEM })).type, 'AssessmentEvent');
    const completed = one(event('edx.problem.completed', { problem_id: PROBLEM }));
    assert.equal(completed.type, 'AssessmentItemEvent');
    assert.equal(object(completed)['type'], 'AssessmentItem');
  });
});
