/**
 * The openedx-events signal that carries tracking-log events over the event bus, and its Avro
 * schema. The schema is a data file of openedx/openedx-events (Apache-2.0),
 * `openedx_events/event_bus/avro/tests/schemas/org+openedx+analytics+tracking+event+emitted+v1_schema.avsc`,
 * copied verbatim (field order matters: the binary body is the four strings in this order).
 */
import avro from 'avsc';

export const TRACKING_EVENT_TYPE = 'org.openedx.analytics.tracking.event.emitted.v1';

/** The stream/topic base name edx-platform uses for tracking logs (`<prefix>-analytics`). */
export const ANALYTICS_TOPIC = 'analytics';

export const TRACKING_LOG_SCHEMA = {
  name: 'CloudEvent',
  type: 'record',
  doc: 'Avro Event Format for CloudEvents created with openedx_events/schema',
  fields: [
    {
      name: 'tracking_log',
      type: {
        name: 'TrackingLogData',
        type: 'record',
        fields: [
          { name: 'name', type: 'string' },
          { name: 'timestamp', type: 'string' },
          { name: 'data', type: 'string' },
          { name: 'context', type: 'string' },
        ],
      },
    },
  ],
  namespace: 'org.openedx.analytics.tracking.event.emitted.v1',
} as const;

/** `TrackingLogData` as the bus carries it: four strings; data and context are JSON text. */
export interface TrackingLogData {
  name: string;
  timestamp: string;
  data: string;
  context: string;
}

/** The signal payload (`CloudEvent` record): `{tracking_log: TrackingLogData}`. */
export interface TrackingLogPayload {
  tracking_log: TrackingLogData;
}

let cachedType: avro.Type | undefined;

/** The reader type for the payload (built once). */
export function trackingLogType(): avro.Type {
  cachedType ??= avro.Type.forSchema(structuredClone(TRACKING_LOG_SCHEMA) as unknown as avro.Schema);
  return cachedType;
}
