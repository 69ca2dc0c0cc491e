import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureContext } from '../../../../test/support/fixture-context.js';
import { normalizeEvent, type JsonObject } from '../../../core/event.js';
import type { CompatMode } from '../../shared/transform-settings.js';
import { createXapiValidator } from '../schema-validator.js';
import type { Statement } from '../statement.js';
import { transformXapi } from '../transform.js';
import { EXTENSION, VERB } from '../vocabulary.js';
import { videoTransformers } from './video.js';

const validator = createXapiValidator();
const LMS = 'http://localhost:18000';
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const VIDEO = '0b9e39477cf34507a7a48f74be381fdd';
const VIDEO_IRI = `${LMS}/xblock/block-v1:edX+DemoX+Demo_Course+type@video+block@${VIDEO}`;

/** A live-shape video event; `data` replaces the default data wholesale. */
function videoEvent(name: string, data: JsonObject, context: JsonObject = {}): JsonObject {
  return {
    name,
    timestamp: '2020-07-15T06:52:55.057099+00:00',
    context: { course_id: COURSE, user_id: 3, username: 'edx', session: 'abc123', ...context },
    data,
  };
}

function run(raw: JsonObject, compat: CompatMode = 'erb') {
  const normalized = normalizeEvent(raw);
  assert.ok(normalized.ok);
  return transformXapi(normalized.event, fixtureContext(compat));
}

/** The single statement of an event; in default mode it must also be valid xAPI. */
function statementOf(raw: JsonObject, compat: CompatMode = 'erb'): Statement {
  const outcome = run(raw, compat);
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  const statement = outcome.statements[0] as Statement;
  if (compat === 'valid') assert.deepEqual(validator.check(statement), []);
  return statement;
}

function skipReason(raw: JsonObject): string {
  const outcome = run(raw);
  assert.ok(!outcome.ok, 'expected the event to be skipped');
  return outcome.reason;
}

function resultExtensions(statement: Statement): Record<string, unknown> | undefined {
  return statement.result?.extensions;
}

function videoLength(statement: Statement): unknown {
  return statement.context?.extensions?.[EXTENSION.videoLength];
}

describe('video: every event name ERB registers', () => {
  const expected: Record<string, { verb: string; cc?: boolean; result: boolean }> = {
    load_video: { verb: VERB.initialized, result: false },
    'edx.video.loaded': { verb: VERB.initialized, result: false },
    play_video: { verb: VERB.played, result: true },
    'edx.video.played': { verb: VERB.played, result: true },
    pause_video: { verb: VERB.paused, result: true },
    'edx.video.paused': { verb: VERB.paused, result: true },
    stop_video: { verb: VERB.terminated, result: true },
    'edx.video.stopped': { verb: VERB.terminated, result: true },
    complete_video: { verb: VERB.completed, result: true },
    'edx.video.completed': { verb: VERB.completed, result: true },
    seek_video: { verb: VERB.seeked, result: true },
    'edx.video.position.changed': { verb: VERB.seeked, result: true },
    show_transcript: { verb: VERB.interacted, cc: true, result: true },
    'edx.video.transcript.shown': { verb: VERB.interacted, cc: true, result: true },
    video_show_cc_menu: { verb: VERB.interacted, cc: true, result: true },
    'edx.video.closed_captions.shown': { verb: VERB.interacted, cc: true, result: true },
    hide_transcript: { verb: VERB.interacted, cc: false, result: true },
    'edx.video.transcript.hidden': { verb: VERB.interacted, cc: false, result: true },
    video_hide_cc_menu: { verb: VERB.interacted, cc: false, result: true },
    'edx.video.closed_captions.hidden': { verb: VERB.interacted, cc: false, result: true },
    speed_change_video: { verb: VERB.interacted, result: true },
  };

  it('registers exactly these names', () => {
    assert.deepEqual(Object.keys(videoTransformers).sort(), Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`${name} → ${want.verb.split('/').pop()}`, () => {
      const data = { id: VIDEO, duration: 195, current_time: 12, old_time: 1, new_time: 2, old_speed: '1.0', new_speed: '2.0' };
      for (const compat of ['erb', 'valid'] as const) {
        const statement = statementOf(videoEvent(name, data), compat);
        assert.equal(statement.verb.id, want.verb);
        assert.equal(statement.object.id, VIDEO_IRI);
        assert.equal(statement.object.definition?.type, 'https://w3id.org/xapi/video/activity-type/video');
        assert.equal(videoLength(statement), 195);
        assert.equal(statement.result !== undefined, want.result);
        if (want.cc !== undefined) assert.equal(resultExtensions(statement)?.[EXTENSION.videoCcEnabled], want.cc);
      }
    });
  }

  it('legacy and new names of one action at one time get the same statement id', () => {
    const data = { id: VIDEO, currentTime: 3 };
    assert.equal(statementOf(videoEvent('play_video', data)).id, statementOf(videoEvent('edx.video.played', data)).id);
  });
});

describe('video: times as text', () => {
  it('reads numeric text as seconds, rounded to 3 decimals', () => {
    const statement = statementOf(videoEvent('play_video', { id: VIDEO, duration: ' 194 ', currentTime: '12.3456' }), 'valid');
    assert.equal(videoLength(statement), 194);
    assert.deepEqual(resultExtensions(statement), { [EXTENSION.videoTime]: 12.346 });
  });

  it('seek positions as text', () => {
    const statement = statementOf(videoEvent('seek_video', { id: VIDEO, old_time: '194.381', new_time: '10' }), 'valid');
    assert.deepEqual(resultExtensions(statement), {
      [EXTENSION.videoTimeFrom]: 194.381,
      [EXTENSION.videoTimeTo]: 10,
    });
  });

  it('complete_video duration as text gives the tincan duration and the time', () => {
    const statement = statementOf(videoEvent('complete_video', { id: VIDEO, duration: '195' }), 'valid');
    assert.deepEqual(statement.result, {
      completion: true,
      duration: 'PT03M15S',
      extensions: { [EXTENSION.videoTime]: 195 },
    });
  });

  it('complete_video with a fractional duration keeps milliseconds, as ERB', () => {
    const statement = statementOf(videoEvent('complete_video', { id: VIDEO, duration: 194.3814 }));
    assert.equal(statement.result?.duration, 'PT03M14.381S');
    assert.equal(resultExtensions(statement)?.[EXTENSION.videoTime], 194.381);
  });

  it('text that is not a number skips the event (ERB fails with ValueError)', () => {
    assert.equal(skipReason(videoEvent('play_video', { id: VIDEO, currentTime: 'abc' })), 'invalid_value');
    assert.equal(skipReason(videoEvent('load_video', { id: VIDEO, duration: 'NaN' })), 'invalid_value');
    assert.equal(skipReason(videoEvent('seek_video', { id: VIDEO, old_time: { at: 1 }, new_time: 2 })), 'invalid_value');
    assert.equal(skipReason(videoEvent('pause_video', { id: VIDEO, currentTime: true })), 'invalid_value');
  });

  it('current_time wins over currentTime; a zero current_time falls back as in ERB', () => {
    const both = statementOf(videoEvent('show_transcript', { id: VIDEO, current_time: 5, currentTime: 7 }));
    assert.equal(resultExtensions(both)?.[EXTENSION.videoTime], 5);
    const zeroFallsBack = statementOf(videoEvent('show_transcript', { id: VIDEO, current_time: 0, currentTime: 7 }));
    assert.equal(resultExtensions(zeroFallsBack)?.[EXTENSION.videoTime], 7);
    // ERB's `current_time or currentTime` loses a 0 when currentTime is absent.
    const zeroAlone = statementOf(videoEvent('show_transcript', { id: VIDEO, current_time: 0 }), 'valid');
    assert.deepEqual(resultExtensions(zeroAlone), { [EXTENSION.videoCcEnabled]: true });
    const zeroText = statementOf(videoEvent('show_transcript', { id: VIDEO, current_time: '0' }));
    assert.equal(resultExtensions(zeroText)?.[EXTENSION.videoTime], 0);
    const zeroCamel = statementOf(videoEvent('play_video', { id: VIDEO, currentTime: 0 }));
    assert.deepEqual(resultExtensions(zeroCamel), { [EXTENSION.videoTime]: 0 });
  });
});

describe('video: null or missing duration and times', () => {
  it('a null duration leaves the length out', () => {
    const statement = statementOf(videoEvent('edx.video.closed_captions.hidden', { id: VIDEO, duration: null, current_time: 21.133524 }), 'valid');
    assert.equal(videoLength(statement), undefined);
    assert.deepEqual(Object.keys(statement.context?.extensions ?? {}), [EXTENSION.transformerVersion, EXTENSION.sessionId]);
    assert.deepEqual(resultExtensions(statement), { [EXTENSION.videoTime]: 21.134, [EXTENSION.videoCcEnabled]: false });
  });

  it('a zero duration is kept (length 0)', () => {
    assert.equal(videoLength(statementOf(videoEvent('load_video', { id: VIDEO, duration: 0 }))), 0);
  });

  it('complete_video without a duration: completion only, empty extensions as ERB', () => {
    for (const duration of [null, '', undefined]) {
      const data: JsonObject = { id: VIDEO };
      if (duration !== undefined) data['duration'] = duration;
      const statement = statementOf(videoEvent('complete_video', data), 'valid');
      assert.deepEqual(statement.result, { completion: true, extensions: {} });
    }
  });

  it('play_video with only the required data: result with empty extensions, as ERB', () => {
    const statement = statementOf(videoEvent('play_video', { id: VIDEO }), 'valid');
    assert.deepEqual(statement.result, { extensions: {} });
    assert.equal(videoLength(statement), undefined);
  });

  it('seek with only the new position', () => {
    const statement = statementOf(videoEvent('edx.video.position.changed', { id: VIDEO, new_time: 195 }), 'valid');
    assert.deepEqual(resultExtensions(statement), { [EXTENSION.videoTimeTo]: 195 });
  });
});

describe('video: speeds', () => {
  it('text speeds are used verbatim', () => {
    const statement = statementOf(videoEvent('speed_change_video', { id: VIDEO, old_speed: '1.50', new_speed: '0.75' }));
    assert.deepEqual(resultExtensions(statement), {
      [EXTENSION.videoSpeedFrom]: '1.50x',
      [EXTENSION.videoSpeedTo]: '0.75x',
    });
  });

  it('numeric speeds (ERB fails on them) are written as Python floats', () => {
    const statement = statementOf(videoEvent('speed_change_video', { id: VIDEO, old_speed: 1, new_speed: 1.25 }), 'valid');
    assert.deepEqual(resultExtensions(statement), {
      [EXTENSION.videoSpeedFrom]: '1.0x',
      [EXTENSION.videoSpeedTo]: '1.25x',
    });
    const zero = statementOf(videoEvent('speed_change_video', { id: VIDEO, old_speed: 0, new_speed: 2 }));
    assert.deepEqual(resultExtensions(zero), { [EXTENSION.videoSpeedFrom]: '0.0x', [EXTENSION.videoSpeedTo]: '2.0x' });
  });

  it('a missing speed leaves its extension out (ERB fails)', () => {
    const statement = statementOf(videoEvent('speed_change_video', { id: VIDEO, new_speed: '2.0' }), 'valid');
    assert.deepEqual(resultExtensions(statement), { [EXTENSION.videoSpeedTo]: '2.0x' });
  });

  it('a speed that is neither text nor number skips the event', () => {
    assert.equal(skipReason(videoEvent('speed_change_video', { id: VIDEO, old_speed: [1], new_speed: '2.0' })), 'invalid_value');
    assert.equal(skipReason(videoEvent('speed_change_video', { id: VIDEO, old_speed: true, new_speed: '2.0' })), 'invalid_value');
  });
});

describe('video: courses and block ids', () => {
  it('a ccx course gives a ccx-block-v1 video id and the ccx course as parent', () => {
    const ccx = 'ccx-v1:edX+DemoX+Demo_Course+ccx@1';
    const statement = statementOf(videoEvent('play_video', { id: VIDEO, currentTime: 1 }, { course_id: ccx }), 'valid');
    assert.equal(statement.object.id, `${LMS}/xblock/ccx-block-v1:edX+DemoX+Demo_Course+ccx@1+type@video+block@${VIDEO}`);
    assert.equal(statement.context?.contextActivities?.parent?.[0]?.id, `${LMS}/course/${ccx}`);
  });

  it('a missing or empty video id skips the event', () => {
    assert.equal(skipReason(videoEvent('play_video', { currentTime: 1 })), 'missing_field');
    assert.equal(skipReason(videoEvent('play_video', { id: '', currentTime: 1 })), 'missing_field');
    assert.equal(skipReason(videoEvent('load_video', { id: null })), 'missing_field');
    assert.equal(skipReason(videoEvent('load_video', { id: { nested: 1 } })), 'invalid_value');
  });

  it('a missing course skips the event; a course id that is not a key too', () => {
    const noCourse = videoEvent('play_video', { id: VIDEO });
    delete (noCourse['context'] as JsonObject)['course_id'];
    assert.equal(skipReason(noCourse), 'missing_field');
    assert.equal(skipReason(videoEvent('play_video', { id: VIDEO }, { course_id: 'not-a-key' })), 'invalid_value');
  });

  it('an event without data skips with missing_field', () => {
    const raw = videoEvent('load_video', {});
    delete raw['data'];
    assert.equal(skipReason(raw), 'missing_field');
  });
});

describe('video: shapes and rendering', () => {
  it('a tracking-log line (event as JSON text, time) transforms like the live event', () => {
    const live = statementOf(videoEvent('pause_video', { id: VIDEO, currentTime: 194.40735897138978, duration: 195 }));
    const logged = statementOf({
      name: 'pause_video',
      time: '2020-07-15T06:52:55.057099+00:00',
      context: { course_id: COURSE, user_id: 3, username: 'edx', session: 'abc123' },
      event: JSON.stringify({ id: VIDEO, currentTime: 194.40735897138978, duration: 195 }),
    });
    assert.equal(logged.id, live.id);
    assert.deepEqual(logged.result, live.result);
    assert.deepEqual(logged.object, live.object);
  });

  it('keys come out in tincan order', () => {
    const statement = statementOf(videoEvent('complete_video', { id: VIDEO, duration: 195 }));
    assert.deepEqual(Object.keys(statement), ['id', 'result', 'version', 'actor', 'verb', 'object', 'timestamp', 'context']);
    assert.deepEqual(Object.keys(statement.result ?? {}), ['completion', 'duration', 'extensions']);
    assert.deepEqual(Object.keys(statement.context?.extensions ?? {}), [EXTENSION.transformerVersion, EXTENSION.sessionId, EXTENSION.videoLength]);
    assert.deepEqual(Object.keys(statementOf(videoEvent('load_video', { id: VIDEO }))), ['id', 'version', 'actor', 'verb', 'object', 'timestamp', 'context']);
  });
});

describe("video: Python's NaN and Infinity in the event", () => {
  it('are left out of the statement, which stays valid', () => {
    const event = videoEvent('edx.video.position.changed', { id: VIDEO, code: 'x', old_time: NaN, new_time: 12, duration: Infinity });
    for (const compat of ['erb', 'valid'] as const) {
      const statement = statementOf(event, compat);
      assert.deepEqual(resultExtensions(statement), { [EXTENSION.videoTimeTo]: 12 });
      assert.equal(videoLength(statement), undefined);
      assert.equal(JSON.stringify(statement).includes('null'), false);
    }
  });
});
