import type { JsonObject } from '../core/event.js';
import { createBackendFilter, type BackendFilter, type BackendProcessor } from '../filters/backend-filter.js';
import { compileConfigurations } from '../routers/configurations.js';
import { matchEvent, type CompiledMatchParams } from '../routers/match-params.js';
import type { Backend } from '../routers/types.js';

/**
 * What a replay to the configured routers decides per event, as `serve` does: the backend's
 * filter chain (EVENT_ROUTER_BACKEND_PROCESSORS and the allow-list setting) before transforming,
 * then each router's `match_params` against the source event. Plain data, no credentials: it is
 * sent to the transform workers, so that source events never have to cross back to the reading
 * thread.
 */
export interface RoutingSettings {
  backend: Backend;
  processors: readonly BackendProcessor[];
  /** The routers in the order the destination knows them; a record's matches are indexes into it. */
  routers: ReadonlyArray<{ id: string; configurations: JsonObject | null }>;
}

export interface EventRouting {
  readonly filter: BackendFilter;
  readonly routerCount: number;
  /** Writes 1 at `into[offset + i]` for each router i whose match_params match; returns how many matched. */
  match(event: JsonObject, into: Uint8Array, offset: number): number;
}

export function compileRouting(settings: RoutingSettings): EventRouting {
  const matchers: CompiledMatchParams[] = settings.routers.map((router) => {
    const compiled = compileConfigurations(router.configurations, settings.backend);
    // The destination only hands over routers that compile; one that does not is a bug there.
    if (!compiled.ok) throw new Error(`router ${router.id}: ${compiled.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    return compiled.compiled.matchParams;
  });
  return {
    filter: createBackendFilter(settings.processors),
    routerCount: matchers.length,
    match(event, into, offset) {
      let matched = 0;
      for (let i = 0; i < matchers.length; i++) {
        if (matchEvent(matchers[i] as CompiledMatchParams, event)) {
          into[offset + i] = 1;
          matched += 1;
        } else {
          into[offset + i] = 0;
        }
      }
      return matched;
    },
  };
}
