import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the enrollment family. */
export const enrollmentTransformers = {} satisfies XapiFamily;
