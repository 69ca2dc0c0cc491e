import { CALIPER_TRANSFORMERS } from '../caliper/registry.js';
import type { CaliperTransformer } from '../caliper/transformer.js';
import type { OutputFormat } from '../output-format.js';
import { XAPI_TRANSFORMERS } from '../xapi/registry.js';
import type { XapiTransformer } from '../xapi/transformer.js';
import type { EventRouterPlugin } from './event-router-plugin.js';
import { guardCaliper, guardXapi, type PluginFailureReport } from './guard.js';

/** A plugin with where it was loaded from (a path, a package name, or `bundled port`). */
export interface LoadedPlugin {
  readonly plugin: EventRouterPlugin;
  readonly source: string;
}

/** The transformers a process runs: the built-in ones, the bundled ports and the loaded plugins. */
export interface TransformerRegistry {
  readonly xapi: ReadonlyMap<string, XapiTransformer>;
  readonly caliper: ReadonlyMap<string, CaliperTransformer>;
  /** Where a name's transformer comes from: `built-in`, or `plugin <name> (<source>)`. */
  origin(format: OutputFormat, name: string): string | undefined;
}

/** Two plugins claim one name, or a plugin claims a built-in name without `replaces`. */
export class PluginConflictError extends Error {
  override readonly name = 'PluginConflictError';
}

const FORMAT_LABEL: Record<OutputFormat, string> = { xapi: 'xAPI', caliper: 'Caliper' };

/**
 * The built-in transformers with the plugins' merged in, in order. A plugin may take a name that
 * is already held only when it lists the name in `replaces`; otherwise start is refused with a
 * message naming both holders. Every plugin transformer is guarded (guard.ts).
 */
export function buildRegistry(plugins: readonly LoadedPlugin[], report: PluginFailureReport): TransformerRegistry {
  const xapi = new Map<string, XapiTransformer>(XAPI_TRANSFORMERS);
  const caliper = new Map<string, CaliperTransformer>(CALIPER_TRANSFORMERS);
  const origins: Record<OutputFormat, Map<string, string>> = { xapi: new Map(), caliper: new Map() };
  for (const name of XAPI_TRANSFORMERS.keys()) origins.xapi.set(name, 'built-in');
  for (const name of CALIPER_TRANSFORMERS.keys()) origins.caliper.set(name, 'built-in');

  for (const { plugin, source } of plugins) {
    const label = `plugin ${plugin.name} (${source})`;
    const replaces = new Set(plugin.replaces ?? []);
    const claim = (format: OutputFormat, name: string): void => {
      const holder = origins[format].get(name);
      if (holder !== undefined && !replaces.has(name)) {
        throw new PluginConflictError(
          `${label} registers ${FORMAT_LABEL[format]} event "${name}", which ${holder === 'built-in' ? 'a built-in transformer' : holder} already handles; ` +
            `list "${name}" in the plugin's \`replaces\` to replace it`,
        );
      }
      origins[format].set(name, label);
    };
    for (const [name, transformer] of Object.entries(plugin.xapi ?? {})) {
      claim('xapi', name);
      xapi.set(name, guardXapi({ plugin: plugin.name, event: name }, transformer, report));
    }
    for (const [name, transformer] of Object.entries(plugin.caliper ?? {})) {
      claim('caliper', name);
      caliper.set(name, guardCaliper({ plugin: plugin.name, event: name }, transformer, report));
    }
  }
  return {
    xapi,
    caliper,
    origin: (format, name) => origins[format].get(name),
  };
}
