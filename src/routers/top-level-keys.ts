/**
 * ERB's docs (ADR 0007, the configuration how-to) write `course_id` and `enterprise_uuid` as
 * top-level `match_params` keys, but events carry them under `context`, so those routers never
 * match (erb-reference.md §3.3). We keep ERB's semantics and warn when a router is saved.
 */

/** Keys that Open edX events carry under `context`, never at the top level. */
const CONTEXT_KEYS = new Set([
  'course_id',
  'org_id',
  'user_id',
  'enterprise_uuid',
  'path',
  'client_id',
  'course_user_tags',
  'module',
  'application',
  'component',
  'asides',
]);

/** Top-level fields of live events and tracking-log lines (after normalisation). */
const TOP_LEVEL_KEYS = new Set([
  'name',
  'timestamp',
  'context',
  'data',
  'event',
  'time',
  'event_type',
  'event_source',
  'username',
  'session',
  'ip',
  'agent',
  'host',
  'referer',
  'accept_language',
  'page',
]);

/** A warning for a `match_params` key whose first part is not where events carry it, else undefined. */
export function topLevelKeyWarning(key: string): string | undefined {
  const head = key.split('.')[0] ?? key;
  if (CONTEXT_KEYS.has(head)) {
    const fixed = `context.${key}`;
    return `events carry "${head}" under "context", never at the top level, so this key never matches real events; use "${fixed}"`;
  }
  if (!TOP_LEVEL_KEYS.has(head)) {
    return `"${head}" is not a top-level field of Open edX events (${[...TOP_LEVEL_KEYS].slice(0, 4).join(', ')}, …); keys are dotted paths from the event root`;
  }
  return undefined;
}
