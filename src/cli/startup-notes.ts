import { statementLogDestinations } from '../pipeline/open-pipeline-parts.js';
import type { Settings } from '../config/schema.js';

/** What a router contributes to the start-up summary. */
export interface RouterSummaryInput {
  readonly backend: 'xapi' | 'caliper';
  readonly enabled: boolean;
}

const LABEL = { xapi: 'xAPI', caliper: 'Caliper' } as const;
const SWITCH = { xapi: 'XAPI_EVENTS_ENABLED', caliper: 'CALIPER_EVENTS_ENABLED' } as const;

/**
 * The start-up lines that say what is configured: routers per backend (and which receive nothing
 * because their backend is off), the LMS URL and where the statement logs go. An operator reads
 * these on every restart, so they describe this service, not a first-run example.
 */
export function configuredLines(
  settings: Pick<
    Settings,
    | 'XAPI_EVENTS_ENABLED'
    | 'CALIPER_EVENTS_ENABLED'
    | 'XAPI_EVENT_LOGGING_ENABLED'
    | 'CALIPER_EVENT_LOGGING_ENABLED'
    | 'EVENT_ROUTER_XAPI_TRACKING_LOG'
    | 'EVENT_ROUTER_CALIPER_TRACKING_LOG'
    | 'LMS_ROOT_URL'
    | 'EVENT_ROUTER_TRACKING_LOG_FORMAT'
  >,
  routers: readonly RouterSummaryInput[],
): string[] {
  const parts: string[] = [];
  for (const backend of ['xapi', 'caliper'] as const) {
    const mine = routers.filter((r) => r.backend === backend);
    if (mine.length === 0) continue;
    const enabled = mine.filter((r) => r.enabled).length;
    const on = backend === 'xapi' ? settings.XAPI_EVENTS_ENABLED : settings.CALIPER_EVENTS_ENABLED;
    parts.push(`${mine.length} ${LABEL[backend]} (${enabled} enabled${on ? '' : `; ${SWITCH[backend]} is false, so they receive nothing`})`);
  }
  return [
    `routers: ${parts.length === 0 ? 'none yet' : parts.join(', ')}`,
    `LMS: ${settings.LMS_ROOT_URL ?? 'LMS_ROOT_URL is not set; statements use http://localhost:18000'}`,
    `statement log: ${statementLogLine(settings)}`,
  ];
}

function statementLogLine(settings: Parameters<typeof configuredLines>[0]): string {
  const destinations = statementLogDestinations(settings);
  const streams = (['xapi', 'caliper'] as const).flatMap((format) => {
    const to = destinations[format];
    return to === undefined ? [] : [`${format}_tracking to ${to}`];
  });
  if (streams.length === 0) return 'off (EVENT_ROUTER_XAPI_TRACKING_LOG names a destination: docs/configuration.md)';
  return `${streams.join(', ')} (${settings.EVENT_ROUTER_TRACKING_LOG_FORMAT} lines)`;
}
