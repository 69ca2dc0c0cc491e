import type { CaliperRun } from '../caliper-run.js';
import type { CaliperEvent } from '../caliper-event.js';
import type { CaliperFamily } from '../transformer.js';
import { ACTION, ENTITY_TYPE, EVENT_TYPE } from '../vocabulary.js';

/**
 * A link or outline entry followed: the object is the target URL as given by the browser.
 * ERB spells the link type `Webpage`; valid-form.ts writes the Caliper term `WebPage`.
 */
function linkFollowed(objectType: string) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    const isPartOf = run.isPartOf();
    const object: Record<string, unknown> = {
      id: run.view.requireString('data.target_url'),
      type: objectType,
      name: run.view.get('data.target_name'),
      extensions: isPartOf === undefined ? undefined : { isPartOf },
    };
    return run.event({ type: EVENT_TYPE.navigation, object, action: ACTION.navigatedTo });
  };
}

/** Where the learner went within a sequence (ERB's `target` extension). */
type UnitTarget = (run: CaliperRun) => unknown;

/**
 * Moving between the units of a sequence: the object is the sequence block, named "Unit", with
 * the tab count, the tab left and where the learner went as extensions. ERB removes `data.id`
 * from the event it shares with the xAPI backend; we never modify the input event.
 */
function unitSelected(objectType: string, target: UnitTarget) {
  return (run: CaliperRun): CaliperEvent => {
    run.base();
    const object: Record<string, unknown> = {
      id: run.iri('xblock', run.view.requireString('data.id')),
      type: objectType,
      name: 'Unit',
      extensions: {
        tab_count: run.view.get('data.tab_count'),
        current_tab: run.view.get('data.current_tab'),
        target: target(run),
        isPartOf: run.isPartOf(),
      },
    };
    return run.event({ type: EVENT_TYPE.navigation, object, action: ACTION.navigatedTo });
  };
}

const targetTab: UnitTarget = (run) => run.view.get('data.target_tab');

/** Caliper transformers of the navigation family. */
export const navigationTransformers = {
  'edx.ui.lms.link_clicked': linkFollowed(ENTITY_TYPE.erbWebpage),
  'edx.ui.lms.outline.selected': linkFollowed(ENTITY_TYPE.digitalResource),
  'edx.ui.lms.sequence.next_selected': unitSelected(ENTITY_TYPE.digitalResourceCollection, () => 'next unit'),
  'edx.ui.lms.sequence.previous_selected': unitSelected(ENTITY_TYPE.digitalResourceCollection, () => 'previous unit'),
  'edx.ui.lms.sequence.tab_selected': unitSelected(ENTITY_TYPE.digitalResourceCollection, targetTab),
  // ERB sends the older outline event down the unit branch (it needs data.id, as a DigitalResource).
  'edx.ui.lms.sequence.outline.selected': unitSelected(ENTITY_TYPE.digitalResource, targetTab),
} satisfies CaliperFamily;
