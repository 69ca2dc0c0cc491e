import { enrollmentTransformers } from './events/enrollment.js';
import { navigationTransformers } from './events/navigation.js';
import { problemTransformers } from './events/problem.js';
import { videoTransformers } from './events/video.js';
import type { CaliperFamily, CaliperTransformer } from './transformer.js';

const FAMILIES: Readonly<Record<string, CaliperFamily>> = {
  enrollment: enrollmentTransformers,
  navigation: navigationTransformers,
  problem: problemTransformers,
  video: videoTransformers,
};

/** Merge family tables into one map; a name registered twice is a programming error. */
export function mergeCaliperFamilies(families: Readonly<Record<string, CaliperFamily>>): ReadonlyMap<string, CaliperTransformer> {
  const merged = new Map<string, CaliperTransformer>();
  const owner = new Map<string, string>();
  for (const [family, table] of Object.entries(families)) {
    for (const [name, transformer] of Object.entries(table)) {
      const previous = owner.get(name);
      if (previous !== undefined) {
        throw new Error(`Caliper event "${name}" is registered by both ${previous} and ${family}`);
      }
      owner.set(name, family);
      merged.set(name, transformer);
    }
  }
  return merged;
}

/** Every event name with a Caliper transformer, legacy aliases included. */
export const CALIPER_TRANSFORMERS: ReadonlyMap<string, CaliperTransformer> = mergeCaliperFamilies(FAMILIES);
