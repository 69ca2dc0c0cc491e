import type { CaliperEnvelope, CaliperEvent } from './caliper-event.js';
import { CALIPER_CONTEXT } from './vocabulary.js';

export const CALIPER_DATA_VERSION = CALIPER_CONTEXT;

/**
 * Wrap events in one envelope (Caliper 1.2 Sensor API); a batch shares one envelope, where ERB
 * sends one envelope per event. `sendTime` is passed in so callers own the clock; it is written as
 * ERB writes it (`convert_datetime_to_iso`): UTC, millisecond precision, `Z`.
 * Keys in ERB's order: sensor, sendTime, data, dataVersion.
 */
export function envelope(events: CaliperEvent[], sensor: string, sendTime: Date): CaliperEnvelope {
  if (!(sendTime instanceof Date) || Number.isNaN(sendTime.getTime())) {
    throw new RangeError('envelope sendTime must be a valid Date');
  }
  return { sensor, sendTime: sendTime.toISOString(), data: events, dataVersion: CALIPER_DATA_VERSION };
}
