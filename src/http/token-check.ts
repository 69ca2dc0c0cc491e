import { createHash, timingSafeEqual } from 'node:crypto';
import type { FailureThrottle } from './failure-throttle.js';

/**
 * `Authorization: Bearer <admin token>`, compared in constant time (hashing first makes the
 * lengths equal, so the comparison leaks nothing about the token).
 */
export function createTokenCheck(adminToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(adminToken);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}

/** The answer of a throttled token check. */
export type TokenVerdict = { ok: true } | { ok: false; status: 401 } | { ok: false; status: 429; retryAfterSeconds: number };

/** Wrong tokens per client address before it must wait, and how long the count lasts. */
export const TOKEN_FAILURES_ALLOWED = 10;
export const TOKEN_FAILURE_WINDOW_MS = 60_000;

/**
 * A bearer-token check that slows guessing per client address: once an address has sent
 * `TOKEN_FAILURES_ALLOWED` wrong tokens within a minute, its requests are answered 429 without
 * looking at the token until the minute is over (a right token then included: otherwise
 * guessing would go on, only answered differently).
 */
export function createThrottledTokenCheck(token: string, throttle: FailureThrottle): (authorization: string | undefined, address: string) => TokenVerdict {
  const check = createTokenCheck(token);
  return (authorization, address) => {
    const waitMs = throttle.blockedForMs(address);
    if (waitMs > 0) return { ok: false, status: 429, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    if (check(authorization)) return { ok: true };
    throttle.failed(address);
    return { ok: false, status: 401 };
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
