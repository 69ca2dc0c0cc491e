import type { JsonObject } from '../core/event.js';

/** Which transformer output a router receives. ERB's `backend_name` "xAPI" / "Caliper". */
export type Backend = 'xapi' | 'caliper';
export const BACKENDS: readonly Backend[] = ['xapi', 'caliper'];

export type AuthScheme = 'none' | 'basic' | 'bearer';
export const AUTH_SCHEMES: readonly AuthScheme[] = ['none', 'basic', 'bearer'];

/** Credentials, in clear: only in memory, never logged, never returned by the API. */
export type RouterAuth =
  | { readonly scheme: 'none' }
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string };

/**
 * Everything that defines a router. `configurations` is ERB's JSON exactly as given
 * (`match_params`, `override_args`, `headers`, and any other key, kept but ignored), or null.
 */
export interface RouterSpec {
  readonly backend: Backend;
  readonly routeUrl: string;
  readonly auth: RouterAuth;
  readonly enabled: boolean;
  readonly configurations: JsonObject | null;
}

/** A router as stored: the spec plus identity and timestamps (ISO 8601, UTC). */
export interface StoredRouter extends RouterSpec {
  /** A random UUID. */
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the admin API and `routers list` show: no password or token, only whether one is set. */
export interface RouterView {
  readonly id: string;
  readonly backend: Backend;
  readonly routeUrl: string;
  readonly authScheme: AuthScheme;
  readonly username: string | null;
  readonly hasPassword: boolean;
  readonly hasToken: boolean;
  readonly enabled: boolean;
  /** As given, except values of credential-like headers, which read `[redacted]`. */
  readonly configurations: JsonObject | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A problem with one field of a router; `field` is a path such as `configurations.match_params.name[1]`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}
