/**
 * The plugin API: what a transformer plugin imports (`edx-event-router/plugin`). A plugin is an
 * ES module whose default export (or export named `plugin`) is an `EventRouterPlugin`. Its
 * transformers get the same run objects as the built-in ones, so they build actors, IRIs, course
 * parents, statement ids and the transformer-version extension exactly as ERB does.
 * docs/plugins.md is the guide.
 */
import type { CaliperTransformer } from '../caliper/transformer.js';
import type { XapiTransformer } from '../xapi/transformer.js';

export { SkipEventError } from '../../core/errors.js';
export type { SkipReason } from '../../core/drop-reason.js';
export type { OpenEdxEvent } from '../../core/event.js';
export type { CaliperEvent } from '../caliper/caliper-event.js';
export { CaliperRun } from '../caliper/caliper-run.js';
export type { CaliperTransformer } from '../caliper/transformer.js';
export * as caliperVocabulary from '../caliper/vocabulary.js';
export { EventView } from '../shared/event-view.js';
export type { TransformContext } from '../shared/transform-settings.js';
export { activity, extensions, languageMap, result } from '../xapi/statement.js';
export type { Activity, ActivityDefinition, Agent, Context, Extensions, Result, Statement, Verb } from '../xapi/statement.js';
export type { XapiTransformer } from '../xapi/transformer.js';
export { XapiRun, type StatementParts } from '../xapi/xapi-run.js';
export { ACTIVITY, EN, EN_US, EXTENSION, VERB, XAPI_VERSION, type VerbName } from '../xapi/vocabulary.js';

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

/** Identity with a type: `export default definePlugin({ … })` checks the plugin as it is written. */
export function definePlugin<const P extends EventRouterPlugin>(plugin: P): P {
  return plugin;
}
