import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALIPER_TRANSFORMERS, mergeCaliperFamilies } from './registry.js';
import { CALIPER_UNSUPPORTED } from './unsupported.js';
import type { CaliperTransformer } from './transformer.js';

/** ERB's default Caliper allow-list (erb-reference §2) and its other Caliper registrations. */
const ERB_CALIPER_ALLOW_LIST = [
  'edx.course.enrollment.activated',
  'edx.course.enrollment.deactivated',
  'edx.ui.lms.link_clicked',
  'edx.ui.lms.sequence.outline.selected',
  'edx.ui.lms.outline.selected',
  'edx.ui.lms.sequence.next_selected',
  'edx.ui.lms.sequence.previous_selected',
  'edx.ui.lms.sequence.tab_selected',
  'showanswer',
  'edx.problem.hint.demandhint_displayed',
  'problem_check',
  'load_video',
  'edx.video.loaded',
  'play_video',
  'edx.video.played',
  'complete_video',
  'edx.video.completed',
  'stop_video',
  'edx.video.stopped',
  'pause_video',
  'edx.video.paused',
  'seek_video',
  'edx.video.position.changed',
  'edx.course.grade.passed.first_time',
  'edx.course.grade.now_passed',
  'edx.course.grade.now_failed',
];
const ERB_REGISTERED_NOT_ALLOWED = [
  'edx.grades.problem.submitted',
  'edx.problem.completed',
  'hide_transcript',
  'edx.video.transcript.hidden',
  'edx.video.closed_captions.hidden',
  'video_hide_cc_menu',
  'show_transcript',
  'edx.video.transcript.shown',
  'edx.video.closed_captions.shown',
  'video_show_cc_menu',
  'speed_change_video',
];

describe('Caliper registry', () => {
  it('refuses a name registered by two families', () => {
    const noop = (() => {
      throw new Error('unused');
    }) as CaliperTransformer;
    assert.throws(() => mergeCaliperFamilies({ a: { x: noop }, b: { y: noop, x: noop } }), /"x" is registered by both a and b/);
  });

  it('covers every event ERB transforms to Caliper, allowed by default or not', () => {
    for (const name of ERB_REGISTERED_NOT_ALLOWED) assert.ok(CALIPER_TRANSFORMERS.has(name), name);
    for (const name of ERB_CALIPER_ALLOW_LIST) {
      assert.ok(CALIPER_TRANSFORMERS.has(name) !== CALIPER_UNSUPPORTED.has(name), name);
    }
    assert.equal(CALIPER_TRANSFORMERS.size, ERB_CALIPER_ALLOW_LIST.length - 2 + ERB_REGISTERED_NOT_ALLOWED.length);
  });

  it('gives a reason for allow-listed names without a transformer, and never both', () => {
    assert.ok(CALIPER_UNSUPPORTED.has('edx.course.grade.now_passed'));
    assert.ok(CALIPER_UNSUPPORTED.has('edx.course.grade.now_failed'));
    for (const name of CALIPER_UNSUPPORTED.keys()) assert.ok(!CALIPER_TRANSFORMERS.has(name), name);
  });
});
