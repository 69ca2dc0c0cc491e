import type { OpenEdxEvent } from '../../core/event.js';
import { SkipEventError } from '../../core/errors.js';
import { skip, type TransformOutcome } from '../../core/outcomes.js';
import { EventView } from '../shared/event-view.js';
import type { TransformContext } from '../shared/transform-settings.js';
import { XAPI_TRANSFORMERS } from './registry.js';
import type { Statement } from './statement.js';
import { XAPI_UNSUPPORTED } from './unsupported.js';
import { requireObjectIds, toValidForm } from './valid-form.js';
import { XapiRun } from './xapi-run.js';

/**
 * Transform one normalised event into xAPI statements (parent first, then children).
 * Never throws: every failure becomes a skip with a reason.
 */
export function transformXapi(event: OpenEdxEvent, ctx: TransformContext): TransformOutcome<Statement> {
  const transformer = (ctx.registry?.xapi ?? XAPI_TRANSFORMERS).get(event.name);
  if (transformer === undefined) {
    const why = Object.hasOwn(XAPI_UNSUPPORTED, event.name) ? XAPI_UNSUPPORTED[event.name] : undefined;
    return skip('unsupported_event', why ?? `no xAPI transformer for event "${event.name}"`);
  }
  const run = new XapiRun(new EventView(event), ctx);
  try {
    const produced = transformer(run);
    const statements = requireObjectIds(Array.isArray(produced) ? produced : [produced]);
    return { ok: true, statements: ctx.compat === 'erb' ? statements : toValidForm(statements), notes: run.notes };
  } catch (error) {
    if (error instanceof SkipEventError) return skip(error.reason, error.message);
    return skip('transform_error', `event "${event.name}": ${(error as Error).message ?? String(error)}`);
  }
}
