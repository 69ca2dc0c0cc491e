import type { OpenEdxEvent } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';
import { skip, type TransformOutcome } from '../../core/outcomes.js';
import { EventView } from '../shared/event-view.js';
import type { TransformContext } from '../shared/transform-settings.js';
import type { CaliperEvent } from './caliper-event.js';
import { CaliperRun } from './caliper-run.js';
import { CALIPER_TRANSFORMERS } from './registry.js';
import { CALIPER_UNSUPPORTED } from './unsupported.js';
import { toValidForm } from './valid-form.js';

/**
 * Transform one normalised event into Caliper 1.2 events (one per event today).
 * Never throws: every failure becomes a skip with a reason.
 */
export function transformCaliper(event: OpenEdxEvent, ctx: TransformContext): TransformOutcome<CaliperEvent> {
  const name = typeof event?.name === 'string' ? event.name : '';
  const transformer = (ctx.registry?.caliper ?? CALIPER_TRANSFORMERS).get(name);
  if (transformer === undefined) {
    return skip('unsupported_event', CALIPER_UNSUPPORTED.get(name) ?? `no Caliper transformer for event "${name}"`);
  }
  try {
    const run = new CaliperRun(new EventView(event), ctx);
    // ERB's base fields come first: a missing timestamp or an unknown user is the reason given.
    run.base();
    const produced = transformer(run);
    return { ok: true, statements: [ctx.compat === 'erb' ? produced : toValidForm(produced)], notes: run.notes };
  } catch (error) {
    if (error instanceof SkipEventError) return skip(error.reason, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return skip('transform_error', `event "${name}": ${message}`);
  }
}
