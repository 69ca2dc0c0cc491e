import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the navigation family. */
export const navigationTransformers = {} satisfies XapiFamily;
