import type { CaliperEnvelope, CaliperEvent } from './caliper-event.js';

export const CALIPER_DATA_VERSION = 'http://purl.imsglobal.org/ctx/caliper/v1p2';

/** Wrap events in one envelope; `sendTime` is passed in so callers own the clock. */
export function envelope(events: CaliperEvent[], sensor: string, sendTime: Date): CaliperEnvelope {
  return { sensor, sendTime: sendTime.toISOString(), dataVersion: CALIPER_DATA_VERSION, data: events };
}
