import { NAMESPACE_DNS, uuid5 } from '../shared/uuid5.js';

/**
 * Deterministic Caliper event ids (ERB uses random uuid4 ids, so an endpoint cannot tell a
 * re-sent event from a new one). The recipe, also in docs/caliper.md:
 *
 *   namespace = uuid5(NAMESPACE_DNS, "caliper-event-id.edx-event-router")
 *   name      = event name + "\n" + actor id + "\n" + instant + "\n" + canonical JSON of the event's
 *               `data` + "\n" + canonical JSON of the content
 *   id        = "urn:uuid:" + uuid5(namespace, name)
 *
 * - instant: the event timestamp as a UTC instant with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
 *   so `+00:00`, `Z` and a space separator (the paths render the same instant differently) agree;
 * - data: the source event's `data` (after normalisation: replay's decoded `event`), `null` when
 *   absent; two events whose Caliper content is the same but whose payloads differ (e.g. two
 *   grade events differing only in fields Caliper does not carry) still get different ids;
 * - content: the Caliper event in ERB's form (before the default-mode fixes such as `WebPage`),
 *   without `id` and without `extensions.transformerVersion`, so neither the compat mode nor an
 *   upgrade of this program changes the id of an event;
 * - canonical JSON: object keys sorted (code-unit order) at every level, arrays kept in order,
 *   no whitespace, JSON.stringify escaping.
 */
export const CALIPER_ID_NAMESPACE = uuid5(NAMESPACE_DNS, 'caliper-event-id.edx-event-router');

export interface EventIdParts {
  eventName: string;
  actorId: string;
  /** UTC instant with microseconds, e.g. `2020-07-15T06:36:01.917775Z`. */
  instant: string;
  /** The source event's `data` payload. */
  data: unknown;
  /** The Caliper event without `id` and without the transformer version. */
  content: Record<string, unknown>;
}

export function caliperEventId(parts: EventIdParts): string {
  const name = [
    parts.eventName,
    parts.actorId,
    parts.instant,
    canonicalJson(parts.data),
    canonicalJson(parts.content),
  ].join('\n');
  return `urn:uuid:${uuid5(CALIPER_ID_NAMESPACE, name)}`;
}

/** JSON with object keys sorted at every level; undefined members are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map((item) => canonicalJson(item)).join(',') + ']';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([key, item]) => JSON.stringify(key) + ':' + canonicalJson(item)).join(',') + '}';
  }
  return JSON.stringify(value) ?? 'null';
}
