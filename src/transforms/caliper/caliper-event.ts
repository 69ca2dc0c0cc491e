/** An IMS Caliper 1.2 event as plain JSON. */
export type CaliperEvent = Record<string, unknown> & {
  '@context': string;
  id: string;
  type: string;
  action: string;
  eventTime: string;
};

/** The Caliper envelope (ERB §9): one per request, `data` holds one or more events. */
export interface CaliperEnvelope {
  sensor: string;
  sendTime: string;
  dataVersion: string;
  data: CaliperEvent[];
  [override: string]: unknown;
}
