import type { RouterAuth } from './types.js';

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
