import { SkipEventError } from '../../../core/errors.js';
import { activity, extensions, result } from '../statement.js';
import type { XapiFamily, XapiTransformer } from '../transformer.js';
import { ACTIVITY, EXTENSION } from '../vocabulary.js';
import { numberFrom } from './grading.js';

/**
 * Block completion: verb progressed, the block as a resource, `completion` true only at 1.0 and
 * the cmi5 progress extension in percent.
 */
const completionChanged: XapiTransformer = (run) => {
  // ERB does not require data.block_id, but without it the object has no id and ERB's processor
  // drops the statement; we skip with the same reason valid-form.ts uses.
  const blockId = run.view.string('data.block_id');
  if (blockId === undefined) {
    throw new SkipEventError('missing_object_id', `event "${run.view.name}" has no data.block_id`);
  }
  // ERB computes `completion * 100`, which fails (TypeError) when completion is absent.
  const completion = numberFrom(run.view.get('data.completion'), 'data.completion', run.view.name);
  if (completion === undefined) {
    throw new SkipEventError('missing_field', `Could not get value for data.completion in event "${run.view.name}"`);
  }
  return run.statement({
    verb: run.verb('progressed'),
    object: activity(run.iri('xblock', blockId), { type: ACTIVITY.resource }),
    result: result({
      completion: completion === 1,
      extensions: extensions({ [EXTENSION.progress]: completion * 100 }),
    }),
  });
};

/** xAPI transformers of the completion family. */
export const completionTransformers = {
  'edx.completion.block_completion.changed': completionChanged,
} satisfies XapiFamily;
