/**
 * The plugin API: what a transformer plugin imports (`edx-event-router/plugin`). A plugin is an
 * ES module whose default export (or export named `plugin`) is an `EventRouterPlugin`. Its
 * transformers get the same run objects as the built-in ones, so they build actors, IRIs, course
 * parents, statement ids and the transformer-version extension exactly as ERB does.
 * docs/plugins.md is the guide.
 */
import type { EventRouterPlugin } from './event-router-plugin.js';

export { SkipEventError } from '../../core/errors.js';
export type { SkipReason } from '../../core/drop-reason.js';
export type { OpenEdxEvent } from '../../core/event.js';
export type { CaliperEvent } from '../caliper/caliper-event.js';
export { CaliperRun } from '../caliper/caliper-run.js';
export type { CaliperTransformer } from '../caliper/transformer.js';
export * as caliperVocabulary from '../caliper/vocabulary.js';
export { EventView } from '../shared/event-view.js';
export type { RunContext } from '../shared/run-context.js';
export type { TransformContext } from '../shared/transform-settings.js';
export { activity, extensions, languageMap, result } from '../xapi/statement.js';
export type { Activity, ActivityDefinition, Agent, Context, Extensions, Result, Statement, Verb } from '../xapi/statement.js';
export type { XapiTransformer } from '../xapi/transformer.js';
export { XapiRun, type StatementParts } from '../xapi/xapi-run.js';
export { ACTIVITY, EN, EN_US, EXTENSION, VERB, XAPI_VERSION, type VerbName } from '../xapi/vocabulary.js';
export type { EventRouterPlugin } from './event-router-plugin.js';

/** Identity with a type: `export default definePlugin({ … })` checks the plugin as it is written. */
export function definePlugin<const P extends EventRouterPlugin>(plugin: P): P {
  return plugin;
}
