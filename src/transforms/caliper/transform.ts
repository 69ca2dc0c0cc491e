import type { OpenEdxEvent } from '../../core/event.js';
import { skip, type TransformOutcome } from '../../core/outcomes.js';
import type { TransformContext } from '../shared/transform-settings.js';
import type { CaliperEvent } from './caliper-event.js';

/** Transform one normalised event into Caliper 1.2 events. Never throws. */
export function transformCaliper(event: OpenEdxEvent, _ctx: TransformContext): TransformOutcome<CaliperEvent> {
  return skip('unsupported_event', `no Caliper transformer for event "${event.name}"`);
}
