import { mergedCopy } from '../../../core/merged-copy.js';
import { buildHeaders } from '../../headers.js';
import { type EncodablePayload, jsonArrayText } from '../../payload-text.js';
import type { DeliveryRouter } from '../../router-config.js';
import type { TransportRequest } from '../../transport.js';

export const XAPI_VERSION = '1.0.3';

/**
 * `<base>/statements`, normalising the base as tincan's RemoteLRS does (ERB §4.1): add a
 * trailing slash and a missing `http://`. Unlike tincan, a query string stays a query string.
 */
export function statementsUrl(base: string): string {
  const url = new URL(/^https?:\/\//i.test(base) ? base : `http://${base}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.pathname += 'statements';
  return url.toString();
}

/** Applies a router's override_args at the statement root (ERB §3.4). */
export function applyStatementOverrides(statement: unknown, router: DeliveryRouter): unknown {
  if (!router.overrideArgs || typeof statement !== 'object' || statement === null) return statement;
  return mergedCopy(statement, router.overrideArgs);
}

/**
 * One POST of a JSON array of statements (xAPI 1.0.3 Communication §2.1.2). Without
 * override_args the body is joined from the stored JSON texts.
 */
export function buildXapiRequest(router: DeliveryRouter, statements: readonly EncodablePayload[]): TransportRequest {
  return {
    url: statementsUrl(router.url),
    headers: buildHeaders(router.headers, router.auth, {
      'X-Experience-API-Version': XAPI_VERSION,
      'Content-Type': 'application/json',
    }),
    body: router.overrideArgs ? JSON.stringify(statements.map((s) => applyStatementOverrides(s.payload.value(), router))) : jsonArrayText(statements),
  };
}
