import { CALIPER_TRANSFORMERS } from './caliper/registry.js';
import { CALIPER_UNSUPPORTED } from './caliper/unsupported.js';
import { XAPI_TRANSFORMERS } from './xapi/registry.js';
import { XAPI_UNSUPPORTED } from './xapi/unsupported.js';

/** One known event name and what each backend does with it. */
export interface SupportedEventRow {
  name: string;
  xapi: boolean;
  caliper: boolean;
}

/** The transformer tables to list: the built-in ones, or a registry with plugins. */
interface TransformerTables {
  readonly xapi: ReadonlyMap<string, unknown>;
  readonly caliper: ReadonlyMap<string, unknown>;
}

const BUILT_IN: TransformerTables = { xapi: XAPI_TRANSFORMERS, caliper: CALIPER_TRANSFORMERS };

/** Every event name a backend transforms or knowingly skips, sorted by name. */
export function supportedEvents(tables: TransformerTables = BUILT_IN): SupportedEventRow[] {
  const names = new Set<string>([...tables.xapi.keys(), ...tables.caliper.keys(), ...Object.keys(XAPI_UNSUPPORTED), ...CALIPER_UNSUPPORTED.keys()]);
  return [...names].sort().map((name) => ({ name, xapi: tables.xapi.has(name), caliper: tables.caliper.has(name) }));
}

/** The names transformed to xAPI or Caliper (or both), sorted: what the LMS should publish for us. */
export function transformedEventNames(): string[] {
  return [...new Set<string>([...XAPI_TRANSFORMERS.keys(), ...CALIPER_TRANSFORMERS.keys()])].sort();
}

/** The README's table of supported events, as Markdown. */
export function supportedEventsMarkdown(): string {
  const rows = supportedEvents();
  const lines = ['| event | xAPI | Caliper |', '|---|---|---|'];
  for (const row of rows) lines.push(`| \`${row.name}\` | ${row.xapi ? 'yes' : '—'} | ${row.caliper ? 'yes' : '—'} |`);
  const xapi = rows.filter((r) => r.xapi).length;
  const caliper = rows.filter((r) => r.caliper).length;
  lines.push(
    '',
    `${xapi} event names to xAPI, ${caliper} to Caliper (legacy names and their \`edx.video.*\` aliases counted apart). ` +
      'Names marked — are known and skipped with reason `unsupported_event`; `npx edx-event-router events` prints the reason for each.',
  );
  return lines.join('\n');
}

/** Why an event name is not transformed to a format, if it is a known name. */
export function unsupportedReason(format: 'xapi' | 'caliper', name: string): string | undefined {
  if (format === 'xapi') return Object.hasOwn(XAPI_UNSUPPORTED, name) ? XAPI_UNSUPPORTED[name] : undefined;
  return CALIPER_UNSUPPORTED.get(name);
}
