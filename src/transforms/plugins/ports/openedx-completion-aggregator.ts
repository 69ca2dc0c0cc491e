import { SkipEventError } from '../../../core/errors.js';
import { numberFrom } from '../../xapi/events/grading.js';
import { activity, extensions, result } from '../../xapi/statement.js';
import type { XapiTransformer } from '../../xapi/transformer.js';
import { ACTIVITY, EXTENSION } from '../../xapi/vocabulary.js';
import { definePlugin } from '../api.js';

/**
 * openedx-completion-aggregator 4.2.0 (`completion_aggregator/xapi.py`): progress in a course,
 * section, subsection or unit. Verb progressed; the block as the object (course or module type,
 * no name); `completion` true only at 100 %, the cmi5 progress extension in percent. Releases
 * before 4.2.0 register no xAPI transformer; the `completion.*` events and a `result.score.scaled`
 * form were in the pull request's drafts only (docs/plugins.md).
 */
function progress(objectType: string): XapiTransformer {
  return (run) => {
    const blockId = run.view.string('data.block_id');
    // The package builds the IRI from a missing id all the same; ERB then drops the statement.
    if (blockId === undefined) throw new SkipEventError('missing_object_id', `event "${run.view.name}" has no data.block_id`);
    // `get_data("data.percent") or 0`.
    const percent = numberFrom(run.view.get('data.percent'), 'data.percent', run.view.name) ?? 0;
    return run.statement({
      verb: run.verb('progressed'),
      object: activity(run.iri('xblock', blockId), { type: objectType }),
      result: result({ completion: percent === 1, extensions: extensions({ [EXTENSION.progress]: percent * 100 }) }),
    });
  };
}

const moduleProgress = progress(ACTIVITY.module);

export const completionAggregatorPort = definePlugin({
  name: 'openedx-completion-aggregator 4.2.0',
  xapi: {
    'openedx.completion_aggregator.progress.course': progress(ACTIVITY.course),
    'openedx.completion_aggregator.progress.chapter': moduleProgress,
    'openedx.completion_aggregator.progress.sequential': moduleProgress,
    'openedx.completion_aggregator.progress.vertical': moduleProgress,
  },
});
