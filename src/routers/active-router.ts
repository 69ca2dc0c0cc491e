import type { JsonObject } from '../core/event.js';
import { compileConfigurations } from './configurations.js';
import { matchEvent } from './match-params.js';
import { routerHeaders } from './overrides.js';
import type { Backend, FieldError, RouterAuth, StoredRouter } from './types.js';

/**
 * A router ready for delivery: compiled once per change, used for every event.
 * Holds credentials in clear, in memory only: never log it whole.
 */
export interface ActiveRouter {
  readonly id: string;
  readonly backend: Backend;
  readonly routeUrl: string;
  readonly auth: RouterAuth;
  /** `configurations.override_args`, or undefined; delivery merges it into each request body. */
  readonly overrideArgs: Readonly<JsonObject> | undefined;
  /** Request headers of this router: `configurations.headers` plus Authorization. */
  readonly headers: Readonly<Record<string, string>>;
  /** ERB `match_params` against the original edX event (before transformation). */
  matches(event: JsonObject): boolean;
}

export type CompileRouterOutcome = { ok: true; router: ActiveRouter } | { ok: false; errors: FieldError[] };

export function compileRouter(stored: StoredRouter): CompileRouterOutcome {
  const compiled = compileConfigurations(stored.configurations, stored.backend);
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  const { matchParams, overrideArgs, headers } = compiled.compiled;
  const router: ActiveRouter = {
    id: stored.id,
    backend: stored.backend,
    routeUrl: stored.routeUrl,
    auth: stored.auth,
    overrideArgs,
    headers: Object.freeze(routerHeaders(headers, stored.auth)),
    matches: (event) => matchEvent(matchParams, event),
  };
  // Keep credentials out of accidental JSON.stringify / util.inspect of a router.
  Object.defineProperty(router, 'toJSON', { value: () => ({ id: router.id, backend: router.backend, routeUrl: router.routeUrl }) });
  return { ok: true, router: Object.freeze(router) };
}
