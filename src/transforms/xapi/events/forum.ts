import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the forum family. */
export const forumTransformers = {} satisfies XapiFamily;
