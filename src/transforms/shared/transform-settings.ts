import type { TransformerRegistry } from '../plugins/registry.js';
import { TransformCaches } from '../transform-caches.js';
import type { RunContext, RunSettings } from './run-context.js';

export type { CompatMode, IfiType } from './run-context.js';

/** What a process sets up its transformation with: the runs' settings and which transformers run. */
export interface TransformSettings extends RunSettings {
  /**
   * The transformers to run: the built-in ones with the bundled ports and the loaded plugins
   * (plugins/index.ts). Without it, the built-in transformers only.
   */
  readonly registry?: TransformerRegistry;
}

/**
 * Everything transforming an event uses besides the event: the settings, which transformers run,
 * and their caches. The transformers see only its RunContext part.
 */
export interface TransformContext extends TransformSettings, RunContext {}

/** A context with new, empty caches: one per pipeline, per replay, per CLI run. */
export function createTransformContext(settings: TransformSettings): TransformContext {
  return { ...settings, caches: new TransformCaches() };
}
