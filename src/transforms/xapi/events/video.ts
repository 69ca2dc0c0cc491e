import { SkipEventError } from '../../../core/errors.js';
import type { JsonValue } from '../../../core/event.js';
import { usageKey } from '../../shared/block-ids.js';
import { roundSeconds, tincanDuration, toSeconds } from '../../shared/durations.js';
import { activity, extensions, result, type Activity, type Result } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EXTENSION, type VerbName } from '../vocabulary.js';
import type { XapiRun } from '../xapi-run.js';

/*
 * Video interaction events, legacy names (emitted by the LMS player) and the edx.video.* names
 * (mobile apps), as ERB's video transformers handle them:
 * - object: the video block `<LMS>/xblock/<block-v1|ccx-block-v1>:…+type@video+block@<data.id>`;
 *   `context.course_id` and `data.id` are required;
 * - context: the default one plus the video length (`data.duration`, seconds to 3 decimals);
 * - result: per event kind (time, time-from/to, cc-enabled, speeds, completion), none on load.
 *
 * Times are numbers or numeric text (ERB applies Python's float()); empty values leave the
 * extension out, as in ERB. Text that is not a number drops the event with `invalid_value`
 * (ERB fails on it with a ValueError).
 */

/** The video block the event is about. */
function videoObject(run: XapiRun): Activity {
  const courseId = run.view.requireString('context.course_id');
  const videoId = run.view.requireString('data.id');
  const blockId = usageKey(courseId, 'video', videoId);
  if (blockId === undefined) {
    throw new SkipEventError('invalid_value', `course id "${courseId}" of event "${run.view.name}" is not a course key`);
  }
  return activity(run.iri('xblock', blockId), { type: ACTIVITY.video });
}

/** ERB `convert_seconds_to_float(get_data(key))`: seconds rounded to 3 decimals, or undefined. */
function seconds(run: XapiRun, key: string): number | undefined {
  return secondsFrom(run, key, run.view.get(key));
}

function secondsFrom(run: XapiRun, key: string, value: JsonValue | undefined): number | undefined {
  // Python's NaN and Infinity (tracking logs and bus payloads carry them) are left out, as the
  // Caliper side does; JSON has no spelling for them.
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return undefined;
  const parsed = toSeconds(value);
  if (parsed === undefined) {
    throw new SkipEventError('invalid_value', `${key} of event "${run.view.name}" is not a number of seconds: ${JSON.stringify(value)}`);
  }
  return roundSeconds(parsed);
}

/**
 * The player position: `data.current_time`, else `data.currentTime` (legacy player events).
 * ERB picks with Python's `or`, so a `current_time` of 0 also falls back to `currentTime`, and
 * yields no time at all when that is absent; kept so that statements stay equal to ERB's.
 */
function currentTime(run: XapiRun): number | undefined {
  const snake = run.view.get('data.current_time');
  if (snake !== undefined && snake !== 0 && snake !== false) return secondsFrom(run, 'data.current_time', snake);
  return seconds(run, 'data.currentTime');
}

/**
 * A playback speed as ERB writes it, `<speed>x`. The player sends text ("1.0", "1.25"), used
 * verbatim; ERB fails on numbers, which we render as Python floats (1 → "1.0x", 1.5 → "1.5x").
 * A missing speed leaves the extension out (ERB fails).
 */
function speed(run: XapiRun, key: string): string | undefined {
  const value = run.view.get(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return `${Number.isInteger(value) ? value.toFixed(1) : String(value)}x`;
  }
  throw new SkipEventError('invalid_value', `${key} of event "${run.view.name}" is not a speed: ${JSON.stringify(value)}`);
}

/** One video transformer: the shared object and context, a verb, and an optional result. */
function videoTransformer(verb: VerbName, buildResult?: (run: XapiRun) => Result): XapiTransformer {
  return (run) => {
    // ERB's order: actor (unknown users), context, object, then the result; so the skip reason
    // for an event with several problems is the one ERB would hit first.
    run.actor();
    const context = run.defaultContext(extensions({ [EXTENSION.videoLength]: seconds(run, 'data.duration') }));
    const object = videoObject(run);
    return run.statement({ verb: run.verb(verb), object, result: buildResult?.(run), context });
  };
}

const positionResult = (run: XapiRun): Result => result({ extensions: extensions({ [EXTENSION.videoTime]: currentTime(run) }) });

const completedResult = (run: XapiRun): Result => {
  const duration = seconds(run, 'data.duration');
  return result({
    completion: true,
    duration: duration === undefined ? undefined : tincanDuration(duration),
    extensions: extensions({ [EXTENSION.videoTime]: duration }),
  });
};

const seekResult = (run: XapiRun): Result =>
  result({
    extensions: extensions({
      [EXTENSION.videoTimeFrom]: seconds(run, 'data.old_time'),
      [EXTENSION.videoTimeTo]: seconds(run, 'data.new_time'),
    }),
  });

const captionsResult =
  (enabled: boolean) =>
  (run: XapiRun): Result =>
    result({
      extensions: extensions({ [EXTENSION.videoTime]: currentTime(run), [EXTENSION.videoCcEnabled]: enabled }),
    });

const speedResult = (run: XapiRun): Result =>
  result({
    extensions: extensions({
      [EXTENSION.videoSpeedFrom]: speed(run, 'data.old_speed'),
      [EXTENSION.videoSpeedTo]: speed(run, 'data.new_speed'),
    }),
  });

const loaded = videoTransformer('initialized');
const played = videoTransformer('played', positionResult);
const paused = videoTransformer('paused', positionResult);
// ERB maps stop to terminated (its issue #230 argues for paused); kept for equal statements.
const stopped = videoTransformer('terminated', positionResult);
const completed = videoTransformer('completed', completedResult);
const seeked = videoTransformer('seeked', seekResult);
const captionsShown = videoTransformer('interacted', captionsResult(true));
const captionsHidden = videoTransformer('interacted', captionsResult(false));
const speedChanged = videoTransformer('interacted', speedResult);

/** xAPI transformers of the video family: every name ERB registers. */
export const videoTransformers = {
  load_video: loaded,
  'edx.video.loaded': loaded,
  play_video: played,
  'edx.video.played': played,
  pause_video: paused,
  'edx.video.paused': paused,
  stop_video: stopped,
  'edx.video.stopped': stopped,
  complete_video: completed,
  'edx.video.completed': completed,
  seek_video: seeked,
  'edx.video.position.changed': seeked,
  show_transcript: captionsShown,
  'edx.video.transcript.shown': captionsShown,
  video_show_cc_menu: captionsShown,
  'edx.video.closed_captions.shown': captionsShown,
  hide_transcript: captionsHidden,
  'edx.video.transcript.hidden': captionsHidden,
  video_hide_cc_menu: captionsHidden,
  'edx.video.closed_captions.hidden': captionsHidden,
  speed_change_video: speedChanged,
} satisfies XapiFamily;
