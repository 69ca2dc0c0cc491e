import * as z from 'zod';

/** An http(s) URL without trailing slash: IRIs are built as `${LMS_ROOT_URL}/course/…`. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, ''));

export const eventNames = z.array(z.string().min(1));

export const distinct = <T>(list: readonly T[]): boolean => new Set(list).size === list.length;
