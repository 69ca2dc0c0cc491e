/** A Caliper entity as plain JSON: an `id` (IRI or `_:` blank node) and a `type` term, plus properties. */
export type CaliperEntity = Record<string, unknown> & { id?: string; type: string };

/** An IMS Caliper 1.2 event as plain JSON. */
export type CaliperEvent = Record<string, unknown> & {
  '@context': string;
  id: string;
  type: string;
  action: string;
  eventTime: string;
};

/**
 * The Caliper envelope (ERB §9): `data` holds one or more events. Keys are written in ERB's order
 * (sensor, sendTime, data, dataVersion); routers may shallow-merge `override_args` into it.
 */
export interface CaliperEnvelope {
  sensor: string;
  sendTime: string;
  dataVersion: string;
  data: CaliperEvent[];
  [override: string]: unknown;
}
