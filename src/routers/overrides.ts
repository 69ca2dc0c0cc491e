import type { JsonObject } from '../core/event.js';
import { mergedCopy } from '../core/merged-copy.js';
import type { RouterAuth } from './types.js';

/**
 * ERB applies `override_args` with Python `dict.update` on a copy (erb-reference.md §3.4):
 * shallow, existing keys are replaced in place and new keys are appended. For xAPI the root is
 * the statement; for Caliper it is the envelope `{sensor, sendTime, data, dataVersion}`.
 */
export function applyOverrides<T extends object>(payload: T, overrideArgs: Readonly<JsonObject> | undefined): T {
  if (overrideArgs === undefined) return payload;
  return mergedCopy<T>(payload, overrideArgs);
}

/** `override_args` merged at the root of an xAPI statement. */
export const applyXapiOverrides: <T extends object>(statement: T, overrideArgs: Readonly<JsonObject> | undefined) => T =
  applyOverrides;

/** `override_args` merged at the root of a Caliper envelope (not inside the event). */
export const applyCaliperOverrides: <T extends object>(envelope: T, overrideArgs: Readonly<JsonObject> | undefined) => T =
  applyOverrides;

/**
 * The router's own request headers: `configurations.headers`, then `Authorization` from the
 * auth scheme, which replaces a configured Authorization header of any case (as ERB's Bearer
 * does). With scheme `none` a configured Authorization header is sent as is. Delivery adds
 * its protocol headers (Content-Type, X-Experience-API-Version) on top.
 */
export function routerHeaders(headers: Readonly<Record<string, string>>, auth: RouterAuth): Record<string, string> {
  const authorization = authorizationHeader(auth);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (authorization !== undefined && name.toLowerCase() === 'authorization') continue;
    out[name] = value;
  }
  if (authorization !== undefined) out['Authorization'] = authorization;
  return out;
}

/** RFC 7617 Basic (UTF-8) or RFC 6750 Bearer; undefined for scheme none. */
export function authorizationHeader(auth: RouterAuth): string | undefined {
  switch (auth.scheme) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}
