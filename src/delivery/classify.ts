import type { CapturedResponse } from '../queue/port.js';
import type { DeliveryOutcome } from './outcome.js';
import { parseRetryAfter } from './retry-after.js';
import type { TransportResult } from './transport.js';

export type Backend = 'xapi' | 'caliper';

/**
 * Dead letters keep this much of a response body: enough for an LRS's error message, not enough
 * to turn the dead letters (readable through the admin API) into a copy of whatever a
 * destination answers.
 */
export const MAX_CAPTURED_BODY_CHARS = 300;

/** 5xx that will not go away on retry: the server does not do this at all. */
const PERMANENT_5XX = new Set([501, 505]);

/**
 * The one place that decides what an attempt came to, tested as the matrix T01…Tnn in
 * classify.test.ts and repeated against the fake LRS in test/integration/delivery.
 */
export function classify(backend: Backend, result: TransportResult, nowMs: number): DeliveryOutcome {
  if (result.kind === 'error') {
    // Refused, reset, DNS, timeouts, a full disk for file routes: all may pass, and a
    // statement is never at fault for them; unknown codes are retried rather than lost.
    return {
      status: 'retryable',
      error: `${result.code}: ${result.message}`,
      response: { errorCode: result.code, message: result.message },
    };
  }
  const { statusCode } = result;
  const response = capture(result);
  if (statusCode >= 200 && statusCode < 300) return { status: 'delivered', statusCode };
  // xAPI 1.0.3 Communication §2.1.2: 409 means a statement with this id is already stored (ERB PR #298).
  if (statusCode === 409 && backend === 'xapi') return { status: 'delivered', statusCode, alreadyStored: true, response };
  if (statusCode === 401) return { status: 'rejected', error: 'HTTP 401', unhealthy: true, response };
  if (statusCode === 408 || statusCode === 429 || (statusCode >= 500 && !PERMANENT_5XX.has(statusCode))) {
    const retryAfterMs = parseRetryAfter(result.headers['retry-after'], nowMs);
    return retryAfterMs === undefined
      ? { status: 'retryable', error: `HTTP ${statusCode}`, response }
      : { status: 'retryable', error: `HTTP ${statusCode}`, retryAfterMs, response };
  }
  // 400/403/404/413 by rule (architecture §8); any other status (1xx, 3xx not followed, 405, 422, Caliper 409,
  // 501, 505, >599) is just as unlikely to change by sending the same body again.
  return { status: 'rejected', error: `HTTP ${statusCode}`, response };
}

function capture(result: Extract<TransportResult, { kind: 'response' }>): CapturedResponse {
  const body = result.body.length > MAX_CAPTURED_BODY_CHARS ? `${result.body.slice(0, MAX_CAPTURED_BODY_CHARS)}…` : result.body;
  return { statusCode: result.statusCode, body };
}
