import type { OpenEdxEvent } from '../core/event.js';
import type { TransformOutcome } from '../core/outcomes.js';
import type { CaliperEvent } from './caliper/caliper-event.js';
import { transformCaliper } from './caliper/transform.js';
import type { OutputFormat } from './output-format.js';
import type { TransformContext } from './shared/transform-settings.js';
import type { Statement } from './xapi/statement.js';
import { transformXapi } from './xapi/transform.js';

export { OUTPUT_FORMATS, type OutputFormat } from './output-format.js';

/** A transformed record of either backend. */
export type TransformedRecord = Statement | CaliperEvent;

/** Transform one normalised event for one backend. Never throws. */
export function transformEvent(format: OutputFormat, event: OpenEdxEvent, ctx: TransformContext): TransformOutcome<TransformedRecord> {
  return format === 'xapi' ? transformXapi(event, ctx) : transformCaliper(event, ctx);
}
