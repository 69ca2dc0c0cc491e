import { isJsonObject, type JsonObject, type JsonValue } from '../../core/event.js';
import type { DestinationPolicy } from '../../routers/destination-policy.js';
import { parseRouterDraft, resolveRouter } from '../../routers/parse-router.js';
import type { FieldError, RouterSpec, StoredRouter } from '../../routers/types.js';
import { restoreRedactedHeaders } from '../../routers/view.js';
import { parseJsonWithLocation, type JsonErrorLocation } from './json-location.js';

/** The form fields of a router, by their `name` in the page. */
export const ROUTER_FIELDS = ['backend', 'routeUrl', 'authScheme', 'username', 'password', 'token', 'enabled', 'configurations'] as const;
export type RouterField = (typeof ROUTER_FIELDS)[number];

export interface RouterCheck {
  readonly ok: boolean;
  /** The router to save, when `ok`. */
  readonly spec: RouterSpec | undefined;
  /** `field` is a path such as `routeUrl` or `configurations.match_params.name[1]`. */
  readonly errors: readonly FieldError[];
  readonly warnings: readonly string[];
  /** Where the configurations text stops being JSON, with that line's text. */
  readonly json: (JsonErrorLocation & { readonly lineText: string }) | undefined;
  /** Whether the configurations box was empty (the router then takes every event). */
  readonly emptyConfigurations: boolean;
}

/**
 * The one check behind both the as-you-type endpoint and the save: the form is turned into
 * the admin API's input and goes through the same `parseRouterDraft` + `resolveRouter`, so the
 * page can never accept what the API refuses. Every problem is reported at once: fields that
 * fail on their own are left out of a second pass that checks how the rest fits together.
 *
 * `existing` is the stored router when editing: a password or token left empty keeps the
 * stored one (as long as the scheme stays), and `[redacted]` header values keep theirs.
 */
export function checkRouterForm(form: URLSearchParams, existing: StoredRouter | undefined, destinations: DestinationPolicy): RouterCheck {
  const errors: FieldError[] = [];
  const input: JsonObject = {
    backend: form.get('backend') ?? '',
    routeUrl: form.get('routeUrl') ?? '',
    authScheme: form.get('authScheme') ?? 'none',
    enabled: form.has('enabled'),
  };
  const scheme = (form.get('authScheme') ?? 'none').toLowerCase();
  if (scheme === 'basic') {
    input['username'] = form.get('username') ?? '';
    addSecret(input, form, 'password');
  } else if (scheme === 'bearer') {
    addSecret(input, form, 'token');
  }

  const text = form.get('configurations') ?? '';
  let json: RouterCheck['json'];
  if (text.trim() === '') {
    input['configurations'] = null;
  } else {
    const parsed = parseJsonWithLocation(text);
    if (parsed.ok) {
      const value = parsed.value as JsonValue;
      input['configurations'] = existing !== undefined && isJsonObject(value) ? restoreRedactedHeaders(value, existing.configurations) : value;
    } else {
      json = { ...parsed.error, lineText: text.split('\n')[parsed.error.line - 1] ?? '' };
      errors.push({ field: 'configurations', message: `not valid JSON: line ${json.line}, column ${json.column}: ${json.message}` });
    }
  }

  const first = parseRouterDraft(input);
  if (!first.ok) errors.push(...first.errors);
  const failed = new Set(errors.map((e) => topField(e.field)));
  const rest = first.ok ? first : parseRouterDraft(Object.fromEntries(Object.entries(input).filter(([key]) => !failed.has(key))));
  let spec: RouterSpec | undefined;
  const warnings: string[] = [];
  if (rest.ok) {
    const resolved = resolveRouter(rest.draft, {
      mode: existing === undefined ? 'create' : 'replace',
      base: existing,
      fieldNames: rest.fieldNames,
      destinations,
    });
    if (resolved.ok) {
      spec = resolved.spec;
      warnings.push(...resolved.warnings);
    } else {
      errors.push(...resolved.errors.filter((e) => !failed.has(topField(e.field))));
    }
  }
  const ok = errors.length === 0 && spec !== undefined;
  return { ok, spec: ok ? spec : undefined, errors, warnings, json, emptyConfigurations: text.trim() === '' };
}

/** An empty secret means "leave unchanged": it is not sent, so `resolveRouter` keeps the stored one. */
function addSecret(input: JsonObject, form: URLSearchParams, field: 'password' | 'token'): void {
  const value = form.get(field) ?? '';
  if (value !== '') input[field] = value;
}

/** `configurations.match_params.name[1]` → `configurations`. */
export function topField(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}
