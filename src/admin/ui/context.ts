import type { FastifyRequest } from 'fastify';
import { createFailureThrottle, type FailureThrottle } from '../../http/failure-throttle.js';
import { CHART_WINDOW_MS, DEFAULT_REFRESH_INTERVAL_MS, DEFAULT_SESSION_TTL_MS, type AdminUiDeps } from './deps.js';
import { createHistory, type History } from './history.js';
import { createSessionKeeper, type SessionKeeper } from './session.js';

/** The deps with defaults applied, plus the state the page keeps (sessions, sign-in throttle). */
export interface UiContext {
  readonly deps: AdminUiDeps;
  readonly sessions: SessionKeeper;
  readonly throttle: FailureThrottle;
  readonly now: () => number;
  readonly sessionTtlMs: number;
  readonly refreshIntervalMs: number;
  /** The last hour of figures the overview charts (sampled by registerAdminUi). */
  readonly history: History;
  /** Whether cookies set in answer to this request get `Secure`. */
  secureCookies(request: FastifyRequest): boolean;
}

/** Routes that opt out of the sign-in check (sign-in itself, assets) carry `config: PUBLIC_ROUTE`. */
export const PUBLIC_ROUTE = { adminUiPublic: true } as const;

export const SESSION_COOKIE = 'edxr_admin_session';
export const COOKIE_PATH = '/admin';

export function createUiContext(deps: AdminUiDeps): UiContext {
  const now = deps.now ?? Date.now;
  const sessionTtlMs = deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  return {
    deps,
    now,
    sessionTtlMs,
    refreshIntervalMs: deps.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS,
    history: createHistory(CHART_WINDOW_MS),
    sessions: createSessionKeeper({ secret: deps.adminToken, ttlMs: sessionTtlMs, now }),
    // Ten wrong passwords per address per 15 minutes: plenty for a person, useless for guessing a 32-byte token.
    throttle: createFailureThrottle({ maxFailures: 10, windowMs: 15 * 60_000, now }),
    secureCookies: (request) => deps.secureCookies ?? request.protocol === 'https',
  };
}
