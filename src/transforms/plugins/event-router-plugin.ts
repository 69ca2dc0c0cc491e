// Apart from api.ts, which also names the transform context: the registry builds from plugins
// and the context names the registry, so the registry may not import api.ts.
import type { CaliperTransformer } from '../caliper/transformer.js';
import type { XapiTransformer } from '../xapi/transformer.js';

/** A transformer plugin: transformers keyed by event name, for xAPI and/or Caliper. */
export interface EventRouterPlugin {
  /** Names the plugin in logs, start-up errors and `edx-event-router events`. */
  readonly name: string;
  readonly xapi?: Readonly<Record<string, XapiTransformer>>;
  readonly caliper?: Readonly<Record<string, CaliperTransformer>>;
  /**
   * Event names this plugin takes over from the built-in transformers (or from a plugin listed
   * before it). Claiming such a name without listing it here refuses start.
   */
  readonly replaces?: readonly string[];
}
