import { completionTransformers } from './events/completion.js';
import { enrollmentTransformers } from './events/enrollment.js';
import { examTransformers } from './events/exam.js';
import { forumTransformers } from './events/forum.js';
import { gradingTransformers } from './events/grading.js';
import { navigationTransformers } from './events/navigation.js';
import { problemTransformers } from './events/problem.js';
import { videoTransformers } from './events/video.js';
import type { XapiFamily, XapiTransformer } from './transformer.js';

const FAMILIES: Readonly<Record<string, XapiFamily>> = {
  completion: completionTransformers,
  enrollment: enrollmentTransformers,
  exam: examTransformers,
  forum: forumTransformers,
  grading: gradingTransformers,
  navigation: navigationTransformers,
  problem: problemTransformers,
  video: videoTransformers,
};

/** Merge family tables into one map; a name registered twice is a programming error. */
export function mergeFamilies(families: Readonly<Record<string, XapiFamily>>): ReadonlyMap<string, XapiTransformer> {
  const merged = new Map<string, XapiTransformer>();
  const owner = new Map<string, string>();
  for (const [family, table] of Object.entries(families)) {
    for (const [name, transformer] of Object.entries(table)) {
      const previous = owner.get(name);
      if (previous !== undefined) {
        throw new Error(`xAPI event "${name}" is registered by both ${previous} and ${family}`);
      }
      owner.set(name, family);
      merged.set(name, transformer);
    }
  }
  return merged;
}

/** Every event name with an xAPI transformer, legacy aliases included. */
export const XAPI_TRANSFORMERS: ReadonlyMap<string, XapiTransformer> = mergeFamilies(FAMILIES);
