import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the completion family. */
export const completionTransformers = {} satisfies XapiFamily;
