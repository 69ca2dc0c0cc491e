import type { OpenEdxEvent } from '../core/event.js';
import { epochMillis, parseTimestamp } from '../transforms/shared/timestamps.js';
import type { ReplaySkipReason } from './replay-skip-reason.js';

/** `--since`, `--until` and `--events` as plain data (they cross into worker threads). */
export interface EventFilterSettings {
  /** Keep events at or after this instant, epoch ms. */
  sinceMs?: number;
  /** Keep events before this instant, epoch ms. */
  untilMs?: number;
  /** Keep only these event names; `prefix*` matches every name starting with `prefix`. */
  names?: string[];
}

/** Why an event is left out, or undefined when it is kept. */
export type FilterVerdict = { reason: ReplaySkipReason; message: string } | undefined;

export type EventFilter = (event: OpenEdxEvent) => FilterVerdict;

/** Builds the filter once; the per-event check is a Set lookup and a timestamp parse. */
export function createEventFilter(settings: EventFilterSettings): EventFilter {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const name of settings.names ?? []) {
    if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
    else exact.add(name);
  }
  const byName = (settings.names ?? []).length > 0;
  const { sinceMs, untilMs } = settings;
  const byTime = sinceMs !== undefined || untilMs !== undefined;
  if (!byName && !byTime) return () => undefined;

  return (event) => {
    if (byName && !exact.has(event.name) && !prefixes.some((prefix) => event.name.startsWith(prefix))) {
      return { reason: 'event_not_selected', message: `${event.name} is not in --events` };
    }
    if (!byTime) return undefined;
    const text = event['timestamp'] ?? event['time'];
    const parsed = typeof text === 'string' ? parseTimestamp(text) : undefined;
    if (parsed === undefined) return { reason: 'no_timestamp', message: 'no readable timestamp or time to compare with --since/--until' };
    const at = epochMillis(parsed);
    if (sinceMs !== undefined && at < sinceMs) return { reason: 'outside_time_range', message: `${String(text)} is before --since` };
    if (untilMs !== undefined && at >= untilMs) return { reason: 'outside_time_range', message: `${String(text)} is not before --until` };
    return undefined;
  };
}

/**
 * Reads a `--since`/`--until` value: a date (`2024-01-31`, midnight UTC) or an ISO 8601 date-time
 * (a value without offset is UTC, as Open edX logs are). Undefined when unreadable.
 */
export function parseTimeBound(text: string): number | undefined {
  const trimmed = text.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const parsed = parseTimestamp(date ? `${trimmed}T00:00:00Z` : trimmed);
  return parsed === undefined ? undefined : epochMillis(parsed);
}
