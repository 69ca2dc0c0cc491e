import type { JsonObject, JsonValue } from '../core/event.js';
import type { RouterView, StoredRouter } from './types.js';

export const REDACTED = '[redacted]';

/**
 * Header values are shown back only for these well-known headers, which describe the request and
 * never carry a credential. Any other value reads `[redacted]` (and is kept on save): LRSs and
 * gateways take credentials in headers of every name (X-Signature, X-Creds, X-Api-Key…), so a
 * name pattern cannot tell which ones are secret (docs/security.md, "Secrets").
 */
export const SHOWN_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-charset',
  'accept-language',
  'cache-control',
  'content-language',
  'content-type',
  'pragma',
  'user-agent',
  'x-correlation-id',
  'x-experience-api-version',
  'x-request-id',
]);

export function isSensitiveHeader(name: string): boolean {
  return !SHOWN_HEADERS.has(name.toLowerCase());
}

/** The API/CLI form of a router: no password or token, only whether one is set. */
export function toRouterView(router: StoredRouter): RouterView {
  const { auth } = router;
  return {
    id: router.id,
    backend: router.backend,
    routeUrl: router.routeUrl,
    authScheme: auth.scheme,
    username: auth.scheme === 'basic' ? auth.username : null,
    hasPassword: auth.scheme === 'basic' && auth.password !== '',
    hasToken: auth.scheme === 'bearer' && auth.token !== '',
    enabled: router.enabled,
    configurations: redactConfigurations(router.configurations),
    createdAt: router.createdAt,
    updatedAt: router.updatedAt,
  };
}

function redactConfigurations(configurations: JsonObject | null): JsonObject | null {
  const headers = configurations?.['headers'];
  if (configurations === null || !isObject(headers)) return configurations;
  const redacted: JsonObject = {};
  for (const [name, value] of Object.entries(headers)) redacted[name] = isSensitiveHeader(name) ? REDACTED : value;
  return { ...configurations, headers: redacted };
}

/**
 * A client that read `[redacted]` and sends it back means "unchanged": restore the stored
 * value of that header so a GET → edit → PUT round trip does not destroy it.
 */
export function restoreRedactedHeaders(next: JsonObject | null, stored: JsonObject | null): JsonObject | null {
  const nextHeaders = next?.['headers'];
  const storedHeaders = stored?.['headers'];
  if (next === null || !isObject(nextHeaders) || !isObject(storedHeaders)) return next;
  const headers: JsonObject = {};
  for (const [name, value] of Object.entries(nextHeaders)) {
    const previous = storedHeaders[name];
    headers[name] = value === REDACTED && previous !== undefined ? previous : value;
  }
  return { ...next, headers };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
