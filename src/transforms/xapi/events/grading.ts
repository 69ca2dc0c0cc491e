import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the grading family. */
export const gradingTransformers = {} satisfies XapiFamily;
