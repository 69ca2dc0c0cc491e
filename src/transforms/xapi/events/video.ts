import type { XapiFamily } from '../transformer.js';

/** xAPI transformers of the video family. */
export const videoTransformers = {} satisfies XapiFamily;
