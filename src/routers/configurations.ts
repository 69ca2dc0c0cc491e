import type { JsonObject, JsonValue } from '../core/event.js';
import { compileMatchParams, MATCH_ALL, type CompiledMatchParams } from './match-params.js';
import { headerFieldError } from './header-fields.js';
import type { Backend, FieldError } from './types.js';

/** `configurations` compiled for use on every event. */
export interface CompiledConfigurations {
  readonly matchParams: CompiledMatchParams;
  /** Merged at the root of each xAPI statement / Caliper envelope; undefined when absent. */
  readonly overrideArgs: Readonly<JsonObject> | undefined;
  /** Extra request headers (both backends; ERB sent them for Caliper only). */
  readonly headers: Readonly<Record<string, string>>;
}

export type ConfigurationsOutcome = { ok: true; compiled: CompiledConfigurations; warnings: string[] } | { ok: false; errors: FieldError[] };

/** tincan Statement properties: ERB failed any other xAPI override (erb-reference.md §3.4). */
const STATEMENT_PROPERTIES = new Set(['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments']);
const KNOWN_KEYS = new Set(['match_params', 'override_args', 'headers']);

/** Validate and compile ERB's `configurations` JSON (null, or an object). */
export function compileConfigurations(value: JsonValue | null | undefined, backend: Backend, field = 'configurations'): ConfigurationsOutcome {
  if (value === null || value === undefined) {
    return { ok: true, compiled: { matchParams: MATCH_ALL, overrideArgs: undefined, headers: {} }, warnings: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: [{ field, message: 'must be a JSON object (or null)' }] };
  }
  const errors: FieldError[] = [];
  const warnings: string[] = [];

  const match = compileMatchParams(value['match_params'], `${field}.match_params`);
  if (match.ok) warnings.push(...match.warnings);
  else errors.push(...match.errors);

  const overrideArgs = value['override_args'];
  if (overrideArgs !== undefined && !isObject(overrideArgs)) {
    errors.push({ field: `${field}.override_args`, message: 'must be an object of keys to set at the payload root' });
  } else if (overrideArgs !== undefined) {
    warnings.push(...overrideWarnings(overrideArgs, backend, `${field}.override_args`));
  }

  const headers = value['headers'];
  if (headers !== undefined) errors.push(...headerErrors(headers, `${field}.headers`));

  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) warnings.push(`${field}.${key}: not used (only match_params, override_args and headers are)`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    compiled: {
      matchParams: match.ok ? match.compiled : MATCH_ALL,
      overrideArgs: isObject(overrideArgs) ? overrideArgs : undefined,
      headers: isObject(headers) ? (headers as Record<string, string>) : {},
    },
    warnings,
  };
}

function overrideWarnings(args: JsonObject, backend: Backend, field: string): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(args)) {
    if (backend === 'xapi' && !STATEMENT_PROPERTIES.has(key)) {
      warnings.push(`${field}.${key}: not an xAPI Statement property; LRSs reject such statements (ERB failed them)`);
    }
    if (backend === 'caliper' && key === 'sensor_id') {
      warnings.push(`${field}.sensor_id: adds a "sensor_id" key next to the envelope's "sensor" (as in ERB); override "sensor" to change the sensor`);
    }
  }
  return warnings;
}

function headerErrors(headers: JsonValue, field: string): FieldError[] {
  if (!isObject(headers)) return [{ field, message: 'must be an object of header names to string values' }];
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const message = typeof value === 'string' ? headerFieldError(name, value) : 'must be a string';
    if (message !== undefined) errors.push({ field: `${field}.${name}`, message });
  }
  return errors;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
