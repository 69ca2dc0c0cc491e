import type { JsonValue } from '../../../core/event.js';
import { SkipEventError } from '../../../core/errors.js';
import { usageKey } from '../../shared/block-ids.js';
import { isodateDuration, toSeconds } from '../../shared/durations.js';
import type { CaliperRun } from '../caliper-run.js';
import { dataObject } from '../caliper-run.js';
import type { CaliperEvent } from '../caliper-event.js';
import type { CaliperFamily } from '../transformer.js';
import { ACTION, BLANK_MEDIA_LOCATION_ID, ENTITY_TYPE, EVENT_TYPE, type EmittedAction } from '../vocabulary.js';

/**
 * An ISO 8601 duration (isodate's rendering, `PT3M15S`, `P0D`) from seconds, or undefined.
 * Numeric text is accepted (ERB would fail the event on it); anything else is left out.
 */
function duration(value: JsonValue | undefined): string | undefined {
  const seconds = toSeconds(value);
  return seconds === undefined ? undefined : isodateDuration(seconds);
}

/** Python's `a or b` on event values: `a` unless it is falsy (0, "", false, missing). */
function either(a: JsonValue | undefined, b: JsonValue | undefined): JsonValue | undefined {
  return a === undefined || a === null || a === 0 || a === '' || a === false ? b : a;
}

/** The video: its usage key in the course, its length (0 when the event has none). */
function videoObject(run: CaliperRun): Record<string, unknown> {
  const courseId = run.view.requireString('context.course_id');
  const videoId = run.view.requireString('data.id');
  const key = usageKey(courseId, 'video', videoId);
  if (key === undefined) {
    throw new SkipEventError('invalid_value', `course id "${courseId}" of event "${run.name}" is not a course key`);
  }
  const data = dataObject(run.view) ?? {};
  // ERB reads data.duration raw, with 0 for an absent key; an explicit null leaves it out.
  const length = Object.prototype.hasOwnProperty.call(data, 'duration') ? data['duration'] : 0;
  return {
    extensions: { isPartOf: run.isPartOf() },
    id: run.iri('xblock', key),
    type: ENTITY_TYPE.videoObject,
    duration: duration(length),
  };
}

/** Where in the video the action happened (left out when the player reports 0 or nothing). */
function mediaLocation(currentTime: JsonValue | undefined): Record<string, unknown> {
  return { id: BLANK_MEDIA_LOCATION_ID, type: ENTITY_TYPE.mediaLocation, currentTime: duration(currentTime) };
}

function playerTime(run: CaliperRun): JsonValue | undefined {
  return either(run.view.get('data.currentTime'), run.view.get('data.current_time'));
}

/** Play, pause, stop, load and caption events: the video, and the player position as target. */
function mediaEvent(action: EmittedAction) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    return run.event({
      type: EVENT_TYPE.media,
      object: videoObject(run),
      action,
      target: mediaLocation(playerTime(run)),
    });
  };
}

/** Seeking: the position left as `currentTime`, the position reached as the `newTime` extension. */
function seeked(run: CaliperRun): CaliperEvent {
  run.base();
  const target = mediaLocation(either(run.view.get('data.currentTime'), run.view.get('data.old_time')));
  target['extensions'] = { newTime: duration(run.view.get('data.new_time')) };
  return run.event({ type: EVENT_TYPE.media, object: videoObject(run), action: ACTION.jumpedTo, target });
}

/** Speed change: the old and new speeds, as the player wrote them, as event extensions. */
function speedChanged(run: CaliperRun): CaliperEvent {
  run.base();
  return run.event({
    type: EVENT_TYPE.media,
    object: videoObject(run),
    action: ACTION.changedSpeed,
    extensions: { oldSpeed: run.view.get('old_speed'), newSpeed: run.view.get('new_speed') },
    target: mediaLocation(playerTime(run)),
  });
}

const captionsOn = mediaEvent(ACTION.enabledClosedCaptioning);
const captionsOff = mediaEvent(ACTION.disabledClosedCaptioning);

/**
 * Caliper transformers of the video family: the legacy names the browser player emits and the
 * `edx.video.*` names of the mobile apps. `complete_video` ends the video (ERB's docs say
 * `Event`/`Completed`; its code, followed here, says `MediaEvent`/`Ended`).
 */
export const videoTransformers = {
  load_video: mediaEvent(ACTION.started),
  'edx.video.loaded': mediaEvent(ACTION.started),
  play_video: mediaEvent(ACTION.resumed),
  'edx.video.played': mediaEvent(ACTION.resumed),
  pause_video: mediaEvent(ACTION.paused),
  'edx.video.paused': mediaEvent(ACTION.paused),
  stop_video: mediaEvent(ACTION.ended),
  'edx.video.stopped': mediaEvent(ACTION.ended),
  complete_video: mediaEvent(ACTION.ended),
  'edx.video.completed': mediaEvent(ACTION.ended),
  seek_video: seeked,
  'edx.video.position.changed': seeked,
  show_transcript: captionsOn,
  'edx.video.transcript.shown': captionsOn,
  video_show_cc_menu: captionsOn,
  'edx.video.closed_captions.shown': captionsOn,
  hide_transcript: captionsOff,
  'edx.video.transcript.hidden': captionsOff,
  video_hide_cc_menu: captionsOff,
  'edx.video.closed_captions.hidden': captionsOff,
  speed_change_video: speedChanged,
} satisfies CaliperFamily;
