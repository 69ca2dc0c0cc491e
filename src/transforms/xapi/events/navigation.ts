import type { JsonValue } from '../../../core/event.js';
import { activity, extensions, languageMap, type Activity, type Context, type Statement } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EN, EXTENSION } from '../vocabulary.js';
import type { XapiRun } from '../xapi-run.js';

/**
 * xAPI transformers of the navigation family: every event is "navigated"; they differ in the
 * object (a link, an outline module, or a sequence block) and, for sequence moves, in where the
 * learner started and ended.
 */

/** One navigated statement; the actor is resolved first, as ERB does, so unknown users win. */
function navigated(run: XapiRun, object: () => Activity, context?: () => Context): Statement {
  run.actor();
  return run.statement({ verb: run.verb('navigated'), object: object(), context: context?.() });
}

/** A clicked link: the target URL itself is the object id, and it is required. */
const linkClicked: XapiTransformer = (run) => navigated(run, () => activity(run.view.requireString('data.target_url'), { type: ACTIVITY.link }));

/**
 * An outline entry. ERB does not require the target URL here: without one the statement has no
 * object id and is dropped centrally (valid-form), as ERB's processor drops it.
 */
const outlineSelected: XapiTransformer = (run) =>
  navigated(run, () =>
    activity(run.view.string('data.target_url'), {
      name: languageMap(EN, run.view.string('data.target_name')),
      type: ACTIVITY.module,
    }),
  );

/**
 * A move within a sequence. The object is the sequence block; positions are copied as the event
 * carries them (numbers stay numbers, strings stay strings), as ERB does.
 */
function sequenceMove(endingPosition: (run: XapiRun) => JsonValue | undefined): XapiTransformer {
  return (run) => {
    const blockId = run.view.string('data.id');
    return navigated(
      run,
      () =>
        activity(blockId === undefined ? undefined : run.iri('xblock', blockId), {
          type: ACTIVITY.resource,
          // ERB keeps an empty `extensions: {}` when the tab count is missing.
          extensions: extensions({ [EXTENSION.totalItems]: run.view.get('data.tab_count') }),
        }),
      () =>
        run.defaultContext(
          extensions({
            [EXTENSION.startingPosition]: run.view.get('data.current_tab'),
            [EXTENSION.endingPosition]: endingPosition(run),
          }),
        ),
    );
  };
}

/** The names ERB registers for the navigation family. */
export const navigationTransformers = {
  'edx.ui.lms.link_clicked': linkClicked,
  'edx.ui.lms.outline.selected': outlineSelected,
  'edx.ui.lms.sequence.outline.selected': outlineSelected,
  'edx.ui.lms.sequence.next_selected': sequenceMove(() => 'next unit'),
  'edx.ui.lms.sequence.previous_selected': sequenceMove(() => 'previous unit'),
  'edx.ui.lms.sequence.tab_selected': sequenceMove((run) => run.view.get('data.target_tab')),
} satisfies XapiFamily;
