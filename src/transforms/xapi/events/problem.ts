import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the problem family. */
export const problemTransformers = {} satisfies XapiFamily;
