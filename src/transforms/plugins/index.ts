import { BUNDLED_PORTS } from './ports/bundled.js';
import type { PluginFailureReport } from './guard.js';
import { loadPluginModules } from './load.js';
import { buildRegistry, type TransformerRegistry } from './registry.js';

export { PluginLoadError } from './load.js';
export { PluginConflictError, type TransformerRegistry } from './registry.js';
export type { PluginFailureReport } from './guard.js';

/**
 * What every entry point calls (serve and consume through the pipeline, replay in each worker,
 * transform): the built-in transformers, the bundled ports of other Open edX packages, and the
 * plugins named by `specs` (EVENT_ROUTER_PLUGINS or `--plugin`), in that order. Rejects with a
 * PluginLoadError or PluginConflictError that names the plugin and the event, so start is refused.
 */
export async function loadTransformerRegistry(specs: readonly string[], report: PluginFailureReport): Promise<TransformerRegistry> {
  const plugins = await loadPluginModules(specs);
  return buildRegistry([...BUNDLED_PORTS, ...plugins], report);
}

/** The one-line log message of a plugin's first failure on an event name. */
export function pluginFailureMessage(plugin: string, event: string, message: string): string {
  return `plugin "${plugin}" failed on event "${event}": ${message} (skipped with reason plugin_error; further failures of this plugin on this event are counted, not logged)`;
}
