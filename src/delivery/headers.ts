import type { DeliveryAuth } from './router-config.js';

/** The Authorization header for a router's auth, or undefined (ERB §4.1: no header without credentials). */
export function authorizationHeader(auth: DeliveryAuth): string | undefined {
  switch (auth.scheme) {
    case 'basic':
      if (auth.username === undefined || auth.password === undefined) return undefined;
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return auth.token ? `Bearer ${auth.token}` : undefined;
    case 'none':
      return undefined;
  }
}

/**
 * Request headers, lower-cased so that a configured `content-type` and ours cannot both be
 * sent: configured extras first, then auth and the protocol's own headers, which win
 * (ERB §3.5: the Bearer header overrides a configured Authorization).
 */
export function buildHeaders(
  extra: Readonly<Record<string, string>> | undefined,
  auth: DeliveryAuth,
  fixed: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
  const authorization = authorizationHeader(auth);
  if (authorization !== undefined) headers['authorization'] = authorization;
  for (const [name, value] of Object.entries(fixed)) headers[name.toLowerCase()] = value;
  return headers;
}
