import type { DestinationPolicy } from './destination-policy.js';
import { isJsonObject } from '../core/event.js';
import { parseRouterDraft, resolveRouter } from './parse-router.js';
import type { FieldError, RouterSpec } from './types.js';

/**
 * `routers import`: ERB `RouterConfiguration` rows as JSON, either plain rows
 * (`{backend_name, route_url, auth_scheme, auth_key, username, password, enabled,
 * configurations}`) or Django `dumpdata` objects (`{model, pk, fields: {…}}`).
 *
 * ERB's table keeps history: every save inserts a row, and the router in force for a
 * `route_url` is the row with the highest id (config-models `current_set`, §3.1). We import
 * that row per URL and skip the older ones, so a dump of the whole table imports correctly.
 */
export interface ImportedRouter {
  /** Position in the input list. */
  readonly index: number;
  readonly spec: RouterSpec;
  readonly warnings: readonly string[];
}

export type ImportOutcome = { ok: true; routers: ImportedRouter[]; skipped: Array<{ index: number; reason: string }> } | { ok: false; errors: FieldError[] };

export function parseErbRouters(input: unknown, destinations: DestinationPolicy): ImportOutcome {
  const rows = isJsonObject(input) && Array.isArray(input['routers']) ? input['routers'] : input;
  if (!Array.isArray(rows)) return { ok: false, errors: [{ field: '', message: 'must be a JSON list of router rows' }] };
  const errors: FieldError[] = [];
  const parsed: Array<{ index: number; id: number | undefined; spec: RouterSpec; warnings: string[] }> = [];
  rows.forEach((raw, index) => {
    const row = unwrapDumpdata(raw);
    const prefix = `[${index}]`;
    const draft = parseRouterDraft(row.fields);
    if (!draft.ok) {
      errors.push(...draft.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
      return;
    }
    const resolved = resolveRouter(draft.draft, { mode: 'create', fieldNames: draft.fieldNames, defaultEnabled: false, destinations });
    if (!resolved.ok) {
      errors.push(...resolved.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
      return;
    }
    const warnings = [...resolved.warnings, ...schemeCaseWarnings(row.fields)];
    parsed.push({ index, id: row.id, spec: resolved.spec, warnings: warnings.map((w) => `${prefix}.${w}`) });
  });
  if (errors.length > 0) return { ok: false, errors };

  const current = new Map<string, (typeof parsed)[number]>();
  const skipped: Array<{ index: number; reason: string }> = [];
  for (const row of parsed) {
    const previous = current.get(row.spec.routeUrl);
    // Highest id wins; without ids, the later row does.
    const newer = previous === undefined || (row.id ?? Infinity) >= (previous.id ?? -Infinity);
    const [kept, dropped] = newer ? [row, previous] : [previous, row];
    current.set(row.spec.routeUrl, kept);
    if (dropped !== undefined) {
      skipped.push({ index: dropped.index, reason: `superseded by row [${kept.index}] for the same route_url (ERB keeps the latest row per URL)` });
    }
  }
  const routers = [...current.values()].sort((a, b) => a.index - b.index).map(({ index, spec, warnings }) => ({ index, spec, warnings }));
  return { ok: true, routers, skipped: skipped.sort((a, b) => a.index - b.index) };
}

function unwrapDumpdata(raw: unknown): { fields: unknown; id: number | undefined } {
  if (isJsonObject(raw) && isJsonObject(raw['fields']) && 'model' in raw) {
    const pk = raw['pk'];
    return { fields: raw['fields'], id: typeof pk === 'number' ? pk : undefined };
  }
  const id = isJsonObject(raw) && typeof raw['id'] === 'number' ? raw['id'] : undefined;
  return { fields: raw, id };
}

/** ERB compared "Basic"/"Bearer" case-sensitively: any other spelling meant no credentials were sent. */
function schemeCaseWarnings(fields: unknown): string[] {
  if (!isJsonObject(fields)) return [];
  const scheme = fields['auth_scheme'];
  if (typeof scheme === 'string' && scheme !== '' && scheme !== 'Basic' && scheme !== 'Bearer') {
    return [`auth_scheme: ${JSON.stringify(scheme)} sent no credentials in ERB (it expects "Basic"/"Bearer"); imported as ${scheme.toLowerCase()}`];
  }
  return [];
}
