import type { FieldError } from '../routers/types.js';

/** Every admin API error body: a code, one readable line, and per-field details when there are any. */
export interface ApiError {
  readonly error:
    | 'invalid_json'
    | 'invalid_router'
    | 'invalid_query'
    | 'unauthorized'
    | 'too_many_failures'
    | 'origin_not_allowed'
    | 'not_found'
    | 'conflict'
    | 'router_not_empty'
    | 'internal';
  readonly message: string;
  readonly errors?: readonly FieldError[];
}

export function invalid(errors: readonly FieldError[], code: 'invalid_router' | 'invalid_json' = 'invalid_router'): ApiError {
  const summary = errors.map((e) => (e.field === '' ? e.message : `${e.field}: ${e.message}`)).join('; ');
  return { error: code, message: `router refused: ${summary}`, errors };
}

/** A URL for logs: scheme, host and path only, since a query string may carry an API key. */
export function logSafeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[unparsable url]';
  }
}
