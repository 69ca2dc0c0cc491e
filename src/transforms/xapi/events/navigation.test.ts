import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, OpenEdxEvent } from '../../../core/event.js';
import { fixtureContext } from '../../../../test/support/fixture-context.js';
import type { CompatMode } from '../../shared/transform-settings.js';
import type { Statement } from '../statement.js';
import { transformXapi } from '../transform.js';
import { ACTIVITY, EXTENSION, VERB } from '../vocabulary.js';
import { navigationTransformers } from './navigation.js';

const LMS = 'http://localhost:18000';
const COURSE = 'course-v1:edX+DemoX+Demo_Course';
const BLOCK = 'block-v1:edX+DemoX+Demo_Course+type@sequential+block@19a30717eff543078a5d94ae9d6c18a5';
const TARGET = `${LMS}/courses/${COURSE}/jump_to/${BLOCK}`;

function navEvent(name: string, data: JsonObject, context: JsonObject = {}): OpenEdxEvent {
  return {
    name,
    timestamp: '2020-07-14T14:28:29.829229+00:00',
    data,
    context: { user_id: 3, username: 'edx', course_id: COURSE, ...context },
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

const ending = (s: Statement) => s.context?.extensions?.[EXTENSION.endingPosition];
const starting = (s: Statement) => s.context?.extensions?.[EXTENSION.startingPosition];

describe('xAPI navigation transformers', () => {
  it('registers every navigation event ERB registers, and only those', () => {
    assert.deepEqual(Object.keys(navigationTransformers).sort(), [
      'edx.ui.lms.link_clicked',
      'edx.ui.lms.outline.selected',
      'edx.ui.lms.sequence.next_selected',
      'edx.ui.lms.sequence.outline.selected',
      'edx.ui.lms.sequence.previous_selected',
      'edx.ui.lms.sequence.tab_selected',
    ]);
  });

  describe('link_clicked', () => {
    it('uses the raw target URL as the object id', () => {
      const statement = transformOne(navEvent('edx.ui.lms.link_clicked', { target_url: TARGET }));
      assert.equal(statement.verb.id, VERB.navigated);
      assert.deepEqual(statement.object, { id: TARGET, objectType: 'Activity', definition: { type: ACTIVITY.link } });
    });

    it('skips with missing_field without a target URL, in both modes', () => {
      const event = navEvent('edx.ui.lms.link_clicked', { current_url: TARGET, target_url: '' });
      assert.equal(skipReason(event), 'missing_field');
      assert.equal(skipReason(event, 'erb'), 'missing_field');
    });

    it('drops anonymous events as unknown_user', () => {
      const event = navEvent('edx.ui.lms.link_clicked', { target_url: TARGET }, { user_id: null, username: '' });
      assert.equal(skipReason(event), 'unknown_user');
      assert.equal(skipReason(navEvent('edx.ui.lms.link_clicked', {}, { user_id: null, username: '' })), 'unknown_user');
    });
  });

  describe('outline.selected and sequence.outline.selected', () => {
    for (const name of ['edx.ui.lms.outline.selected', 'edx.ui.lms.sequence.outline.selected']) {
      it(`${name}: a module named after the target, unicode kept`, () => {
        const statement = transformOne(navEvent(name, { target_url: TARGET, target_name: 'Leçon 3 – 社交 🎓' }));
        assert.deepEqual(statement.object, {
          id: TARGET,
          objectType: 'Activity',
          definition: { name: { en: 'Leçon 3 – 社交 🎓' }, type: ACTIVITY.module },
        });
      });
    }

    it('leaves the name out when the target name is missing (ERB raises a TypeError)', () => {
      const statement = transformOne(navEvent('edx.ui.lms.outline.selected', { target_url: TARGET }));
      assert.deepEqual(statement.object.definition, { type: ACTIVITY.module });
    });

    it('has no object id without a target URL, so default mode skips it', () => {
      const event = navEvent('edx.ui.lms.outline.selected', { target_name: 'x' });
      assert.equal(skipReason(event), 'missing_object_id');
    });
  });

  describe('sequence moves', () => {
    it('tab_selected: from the current tab to the target tab, out of tab_count items', () => {
      const statement = transformOne(navEvent('edx.ui.lms.sequence.tab_selected', { id: BLOCK, current_tab: 4, target_tab: 8, tab_count: 10 }));
      assert.equal(statement.object.id, `${LMS}/xblock/${BLOCK}`);
      assert.deepEqual(statement.object.definition, {
        type: ACTIVITY.resource,
        extensions: { [EXTENSION.totalItems]: 10 },
      });
      assert.equal(starting(statement), 4);
      assert.equal(ending(statement), 8);
    });

    it('next and previous end at "next unit" and "previous unit"', () => {
      const data = { id: BLOCK, current_tab: 2, tab_count: 3 };
      assert.equal(ending(transformOne(navEvent('edx.ui.lms.sequence.next_selected', data))), 'next unit');
      assert.equal(ending(transformOne(navEvent('edx.ui.lms.sequence.previous_selected', data))), 'previous unit');
    });

    it('copies numbers given as strings unchanged, as ERB does', () => {
      const statement = transformOne(navEvent('edx.ui.lms.sequence.tab_selected', { id: BLOCK, current_tab: '4', target_tab: '8', tab_count: '10' }));
      assert.equal(starting(statement), '4');
      assert.equal(ending(statement), '8');
      assert.equal(statement.object.definition?.extensions?.[EXTENSION.totalItems], '10');
    });

    it('leaves out missing positions, and keeps ERB’s empty extensions without a tab count', () => {
      const statement = transformOne(navEvent('edx.ui.lms.sequence.tab_selected', { id: BLOCK }), 'erb');
      assert.deepEqual(statement.object.definition, { type: ACTIVITY.resource, extensions: {} });
      assert.equal(starting(statement), undefined);
      assert.equal(ending(statement), undefined);
    });

    it('keeps a zero tab position (only empty values count as missing)', () => {
      const statement = transformOne(navEvent('edx.ui.lms.sequence.previous_selected', { id: BLOCK, current_tab: 0 }));
      assert.equal(starting(statement), 0);
    });

    it('has no object id without a block id, so default mode skips it', () => {
      assert.equal(skipReason(navEvent('edx.ui.lms.sequence.next_selected', { current_tab: 1 })), 'missing_object_id');
    });

    it('drops anonymous events as unknown_user', () => {
      const event = navEvent('edx.ui.lms.sequence.tab_selected', { id: BLOCK }, { user_id: null, username: '' });
      assert.equal(skipReason(event), 'unknown_user');
    });
  });
});
