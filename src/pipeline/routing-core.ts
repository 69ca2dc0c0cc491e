import type { JsonObject, OpenEdxEvent } from '../core/event.js';
import type { BackendFilter } from '../filters/backend-filter.js';
import type { IdentityResolver, ResolvedBatch } from '../identity/identity-resolver.js';
import type { ResolveOutcome } from '../identity/resolve-outcome.js';
import type { TransformContext } from '../transforms/shared/transform-settings.js';
import type { TransformOutcome as Outcome } from '../core/outcomes.js';
import { transformEvent, type OutputFormat, type TransformedRecord } from '../transforms/transform-event.js';

type TransformOutcome = Outcome<TransformedRecord>;

/*
 * The routing core: what happens to an event between its source and its sink, for `serve`,
 * `consume` (process-batch.ts, events from the inbox, items to the outbox) and `replay`
 * (transform-lines.ts, lines from tracking logs, records to the routers' endpoints). Parsing and
 * normalising is parseEventLine (sources/tracking-log/line-parser.ts); then, in this order:
 * backend filters, identity resolution for a batch, transform, match each router (a transform skip
 * wins over matching). Kept in one
 * place so that a backfill and the live stream cannot disagree on an event.
 */

/** One enabled backend and its filter chain (EVENT_ROUTER_BACKEND_PROCESSORS + allow-list). */
export interface BackendPlan {
  readonly format: OutputFormat;
  readonly filter: BackendFilter;
}

/** Anything that matches a source event as a router's `match_params` do. */
export interface RouteMatcher {
  matches(event: JsonObject): boolean;
}

/** The backends whose filters let the event through, in plan order; `onFiltered` for each that does not. */
export function passingBackends(name: string, backends: readonly BackendPlan[], onFiltered: (format: OutputFormat, message: string) => void): OutputFormat[] {
  const passing: OutputFormat[] = [];
  for (const { format, filter } of backends) {
    const decision = filter(name);
    if (decision.pass) passing.push(format);
    else onFiltered(format, decision.message);
  }
  return passing;
}

/** What identity resolution says of a batch: per event whether it can be transformed now, and the lookups to transform with. */
export interface ResolvedEvents {
  readonly outcomes: readonly ResolveOutcome[];
  readonly ctx: TransformContext;
}

/**
 * Resolves the users and courses of a batch of events (lookups file, local store, LMS, as the
 * identity settings list them) and pins the answers into the transform context. Throws only on an
 * unexpected failure: providers report theirs as not-ready outcomes.
 */
export async function resolveIdentities(
  identity: Pick<IdentityResolver, 'resolve'>,
  events: readonly OpenEdxEvent[],
  ctx: Omit<TransformContext, 'lookups'>,
): Promise<ResolvedEvents> {
  const resolved: ResolvedBatch = await identity.resolve(events);
  return { outcomes: resolved.outcomes, ctx: { ...ctx, lookups: resolved.lookups } };
}

/**
 * Transforms the event for one backend: its statements (xAPI) or events (Caliper), or why it
 * produced none. Then, for an event that produced some, `matchRouters` picks its routers. The
 * routers' `override_args` are not applied here: each sink merges them into its own copy of a
 * statement as it sends it (src/delivery), so that statements shared by several routers are made once.
 */
export function transformFor(backend: OutputFormat, event: OpenEdxEvent, ctx: TransformContext): TransformOutcome {
  return safeTransform(backend, event, ctx);
}

/**
 * Matches the source event against each router of its backend (`match_params`): `matched[i]`
 * becomes 1 or 0 for router i. Returns how many matched.
 */
export function matchRouters(event: OpenEdxEvent, routers: readonly RouteMatcher[], matched: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < routers.length; i++) {
    const hit = (routers[i] as RouteMatcher).matches(event);
    matched[i] = hit ? 1 : 0;
    if (hit) count += 1;
  }
  return count;
}

/** transformEvent promises not to throw; a bug that makes it throw costs one event, not the batch or the run. */
function safeTransform(backend: OutputFormat, event: OpenEdxEvent, ctx: TransformContext): TransformOutcome {
  try {
    return transformEvent(backend, event, ctx);
  } catch (error) {
    return { ok: false, reason: 'transform_error', message: error instanceof Error ? error.message : String(error) };
  }
}
