import type { JsonObject } from '../core/event.js';
import { createBackendFilter, type BackendProcessor } from '../filters/backend-filter.js';
import type { BackendPlan, RouteMatcher } from '../pipeline/routing-core.js';
import { compileConfigurations } from '../routers/configurations.js';
import { matchEvent } from '../routers/match-params.js';
import type { Backend } from '../routers/types.js';

/**
 * The routers a replay to the configured routers delivers to, as plain data without credentials:
 * it is sent to the transform workers, which filter and match each event through the routing
 * core as `serve` does, so that source events never have to cross back to the reading thread.
 */
export interface RoutingSettings {
  backend: Backend;
  processors: readonly BackendProcessor[];
  /** The routers in the order the destination knows them; a record's matches are indexes into it. */
  routers: ReadonlyArray<{ id: string; configurations: JsonObject | null }>;
}

/** The routing settings compiled into the routing core's parts. */
export interface EventRouting {
  readonly plan: BackendPlan;
  readonly routers: readonly RouteMatcher[];
}

export function compileRouting(settings: RoutingSettings): EventRouting {
  const routers: RouteMatcher[] = settings.routers.map((router) => {
    const compiled = compileConfigurations(router.configurations, settings.backend);
    // The destination only hands over routers that compile; one that does not is a bug there.
    if (!compiled.ok) throw new Error(`router ${router.id}: ${compiled.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    const { matchParams } = compiled.compiled;
    return { matches: (event) => matchEvent(matchParams, event) };
  });
  return { plan: { format: settings.backend, filter: createBackendFilter(settings.processors) }, routers };
}
