import { isJsonObject, type JsonObject, type JsonValue } from '../core/event.js';
import { compileConfigurations } from './configurations.js';
import { backendOffReason, refusedDestination, type DestinationPolicy } from './destination-policy.js';
import { headerValueError } from './header-fields.js';
import type { AuthScheme, Backend, FieldError, RouterAuth, RouterSpec } from './types.js';

/**
 * Router input as the admin API, the CLI and `routers import` receive it. Field names are ours
 * (`backend`, `routeUrl`, `authScheme`, `token`) or ERB's (`backend_name`, `route_url`,
 * `auth_scheme`, `auth_key`), so an ERB row loads unchanged; values follow ERB's forms too
 * ("xAPI"/"Caliper", "Basic"/"Bearer"/null, `configurations` as an object or JSON text).
 */
export interface RouterDraft {
  backend?: Backend;
  routeUrl?: string;
  authScheme?: AuthScheme;
  /** null or "" clears the stored value. */
  username?: string | null;
  password?: string | null;
  token?: string | null;
  enabled?: boolean;
  configurations?: JsonObject | null;
}

type Canonical = keyof RouterDraft;
const ALIASES: Readonly<Record<string, Canonical>> = {
  backend: 'backend',
  backend_name: 'backend',
  routeUrl: 'routeUrl',
  route_url: 'routeUrl',
  authScheme: 'authScheme',
  auth_scheme: 'authScheme',
  username: 'username',
  password: 'password',
  token: 'token',
  auth_key: 'token',
  enabled: 'enabled',
  configurations: 'configurations',
};
/** Read-only fields of a GET answer, or ERB row bookkeeping: accepted and ignored. */
const IGNORED = new Set(['id', 'createdAt', 'updatedAt', 'hasPassword', 'hasToken', 'warnings', 'change_date', 'changed_by', 'changed_by_id']);

export type DraftOutcome = { ok: true; draft: RouterDraft; fieldNames: Partial<Record<Canonical, string>> } | { ok: false; errors: FieldError[] };

/** Check each given field on its own; whether the whole router holds together is `resolveRouter`'s job. */
export function parseRouterDraft(input: unknown): DraftOutcome {
  if (!isJsonObject(input)) return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const errors: FieldError[] = [];
  const draft: RouterDraft = {};
  const fieldNames: Partial<Record<Canonical, string>> = {};
  for (const [key, value] of Object.entries(input)) {
    const canonical = ALIASES[key];
    if (canonical === undefined) {
      if (!IGNORED.has(key)) errors.push({ field: key, message: `unknown field (known: ${Object.keys(ALIASES).join(', ')})` });
      continue;
    }
    if (fieldNames[canonical] !== undefined) {
      errors.push({ field: key, message: `given twice, as ${fieldNames[canonical]} and ${key}` });
      continue;
    }
    fieldNames[canonical] = key;
    const parsed = parseField(canonical, value);
    if ('error' in parsed) errors.push({ field: key, message: parsed.error });
    else (draft as Record<string, unknown>)[canonical] = parsed.value;
  }
  // An ERB-shaped row gets ERB's names in messages about fields it left out, too.
  if (Object.keys(input).some((key) => key in ERB_NAMES_BY_KEY)) {
    for (const [canonical, erbName] of Object.entries(ERB_NAMES)) fieldNames[canonical as Canonical] ??= erbName;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, draft, fieldNames };
}

const ERB_NAMES: Partial<Record<Canonical, string>> = {
  backend: 'backend_name',
  routeUrl: 'route_url',
  authScheme: 'auth_scheme',
  token: 'auth_key',
};
const ERB_NAMES_BY_KEY = Object.fromEntries(Object.values(ERB_NAMES).map((name) => [name, true]));

type Parsed = { value: unknown } | { error: string };

function parseField(field: Canonical, value: JsonValue): Parsed {
  switch (field) {
    case 'backend': {
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
      // ERB compares backend_name case-insensitively in practice (MySQL collation, §3.1).
      if (lower === 'xapi' || lower === 'caliper') return { value: lower };
      return { error: `must be "xapi" or "caliper" (ERB's "xAPI"/"Caliper" are accepted), got ${JSON.stringify(value)}` };
    }
    case 'routeUrl':
      return parseRouteUrl(value);
    case 'authScheme': {
      if (value === null || value === '') return { value: 'none' };
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
      if (lower === 'none' || lower === 'basic' || lower === 'bearer') return { value: lower };
      return { error: `unknown auth scheme ${JSON.stringify(value)}: use none, basic or bearer` };
    }
    case 'username':
    case 'password':
    case 'token':
      if (value === null || value === '') return { value: null };
      if (typeof value !== 'string') return { error: 'must be a string' };
      // The token goes into the Authorization header as it is; username and password are base64-encoded first.
      if (field === 'token') {
        const error = headerValueError(value);
        return error === undefined ? { value } : { error };
      }
      if (CONTROL_CHARACTER.test(value)) return { error: 'must not contain control characters (line breaks, tabs, NUL…)' };
      if (field === 'username' && value.includes(':')) return { error: 'must not contain ":" (RFC 7617)' };
      return { value };
    case 'enabled':
      if (typeof value === 'boolean') return { value };
      if (value === 0 || value === 1) return { value: value === 1 };
      return { error: 'must be true or false' };
    case 'configurations':
      return parseConfigurationsValue(value);
  }
}

// C0 controls and DEL.
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

function parseRouteUrl(value: JsonValue): Parsed {
  if (typeof value !== 'string' || value.trim() === '') return { error: 'must be a non-empty URL' };
  // The URL parser drops tabs and line breaks silently, so the text that would be stored is checked itself.
  if (CONTROL_CHARACTER.test(value.trim()) || /\s/.test(value.trim())) {
    return { error: 'must not contain spaces, line breaks or other control characters (percent-encode them)' };
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { error: `is not a valid URL: ${JSON.stringify(value)}` };
  }
  // file:// routers append JSON lines to a local file (delivery's file transport).
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') {
    return { error: 'must be an http://, https:// or file:// URL' };
  }
  if (url.username !== '' || url.password !== '') {
    return { error: 'must not contain credentials; use authScheme with username/password or token' };
  }
  return { value: value.trim() };
}

/** ERB stores `configurations` as JSON; rows exported from it may carry it as text. */
function parseConfigurationsValue(value: JsonValue): Parsed {
  let parsed: JsonValue = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return { value: null };
    try {
      parsed = JSON.parse(value) as JsonValue;
    } catch (error) {
      return { error: `is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (parsed === null || isJsonObject(parsed)) return { value: parsed };
  return { error: 'must be a JSON object (or null)' };
}

export type ResolveOutcome = { ok: true; spec: RouterSpec; warnings: string[] } | { ok: false; errors: FieldError[] };

/**
 * Build the full router from a draft. `create` and `replace` (PUT) take omitted fields from the
 * defaults, `patch` from `base`. Secrets are never returned, so a password or token that is
 * omitted is kept from `base` whenever the auth scheme stays the same.
 */
export function resolveRouter(
  draft: RouterDraft,
  options: {
    mode: 'create' | 'replace' | 'patch';
    base?: RouterSpec | undefined;
    fieldNames?: Partial<Record<Canonical, string>>;
    /** ERB's default is false; the API and CLI default to true. */
    defaultEnabled?: boolean;
    /** Where routers may send (settings); checked on every save, so a router is never stored pointing elsewhere. */
    destinations: DestinationPolicy;
  },
): ResolveOutcome {
  const { mode, base } = options;
  const name = (field: Canonical): string => options.fieldNames?.[field] ?? field;
  const fromBase = mode === 'patch' ? base : undefined;
  const errors: FieldError[] = [];
  const warnings: string[] = [];

  const backend = draft.backend ?? fromBase?.backend;
  const routeUrl = draft.routeUrl ?? fromBase?.routeUrl;
  if (backend === undefined) errors.push({ field: name('backend'), message: 'is required' });
  if (routeUrl === undefined) errors.push({ field: name('routeUrl'), message: 'is required' });
  const refused = routeUrl === undefined ? undefined : refusedDestination(new URL(routeUrl), options.destinations);
  if (refused !== undefined) errors.push({ field: name('routeUrl'), message: refused });

  const scheme = draft.authScheme ?? fromBase?.auth.scheme ?? 'none';
  const kept = base !== undefined && base.auth.scheme === scheme ? base.auth : undefined;
  const pick = (field: 'username' | 'password' | 'token'): string | null => {
    const given = draft[field];
    if (given !== undefined) return given;
    return kept !== undefined && field in kept ? ((kept as Record<string, string>)[field] ?? null) : null;
  };
  const auth = resolveAuth(scheme, pick, draft, name, errors, warnings);

  const enabled = draft.enabled ?? fromBase?.enabled ?? options.defaultEnabled ?? true;
  const configurations = draft.configurations !== undefined ? draft.configurations : (fromBase?.configurations ?? null);
  if (backend !== undefined) {
    const compiled = compileConfigurations(configurations, backend, name('configurations'));
    if (compiled.ok) warnings.push(...compiled.warnings);
    else errors.push(...compiled.errors);
  }
  const off = backend === undefined ? undefined : backendOffReason(options.destinations, backend);
  if (off !== undefined) warnings.push(`${name('backend')}: ${off}`);
  if (backend === 'xapi' && routeUrl !== undefined && routeUrl.includes('?')) {
    warnings.push(`${name('routeUrl')}: a query string in an xAPI base URL breaks the statements URL (ERB appends "statements")`);
  }
  if (errors.length > 0 || backend === undefined || routeUrl === undefined || auth === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, spec: { backend, routeUrl, auth, enabled, configurations }, warnings };
}

function resolveAuth(
  scheme: AuthScheme,
  pick: (field: 'username' | 'password' | 'token') => string | null,
  draft: RouterDraft,
  name: (field: Canonical) => string,
  errors: FieldError[],
  warnings: string[],
): RouterAuth | undefined {
  const unused = (fields: Array<'username' | 'password' | 'token'>): void => {
    for (const field of fields) {
      // Only mention credentials given now; stale ones of another scheme are simply dropped.
      if (typeof draft[field] === 'string') warnings.push(`${name(field)}: ignored, the auth scheme is ${scheme}`);
    }
  };
  if (scheme === 'basic') {
    unused(['token']);
    const username = pick('username');
    const password = pick('password');
    if (username === null) errors.push({ field: name('username'), message: 'is required for basic auth' });
    if (password === null) errors.push({ field: name('password'), message: 'is required for basic auth' });
    return username !== null && password !== null ? { scheme, username, password } : undefined;
  }
  if (scheme === 'bearer') {
    unused(['username', 'password']);
    const token = pick('token');
    if (token === null) errors.push({ field: name('token'), message: 'is required for bearer auth' });
    return token !== null ? { scheme, token } : undefined;
  }
  unused(['username', 'password', 'token']);
  return { scheme: 'none' };
}
