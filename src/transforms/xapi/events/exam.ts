import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the exam family. */
export const examTransformers = {} satisfies XapiFamily;
