import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventRouterPlugin } from './api.js';
import type { LoadedPlugin } from './registry.js';

/** A plugin could not be loaded, or does not export a plugin. */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

/** A file path (`./x.js`, `/x.mjs`, `x.js`) rather than a package name. */
export function isPluginPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.[cm]?js$/.test(spec);
}

/** What `import()` is given: a file URL for a path, the package resolved from the working directory. */
function importTarget(spec: string, cwd: string): string {
  if (isPluginPath(spec)) return pathToFileURL(resolve(cwd, spec)).href;
  try {
    // A package installed beside the site's configuration, not only beside this program.
    return pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
  } catch {
    return spec;
  }
}

/** Imports each plugin module and checks its export; a PluginLoadError names the one that failed. */
export async function loadPluginModules(specs: readonly string[], cwd = process.cwd()): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const spec of specs) {
    let module: Record<string, unknown>;
    try {
      module = (await import(importTarget(spec, cwd))) as Record<string, unknown>;
    } catch (error) {
      throw new PluginLoadError(`cannot load plugin "${spec}": ${(error as Error).message ?? String(error)}`);
    }
    loaded.push({ plugin: checkedPlugin(module['default'] ?? module['plugin'], spec), source: spec });
  }
  return loaded;
}

/** The export, checked to be a plugin: a name and tables of functions. */
export function checkedPlugin(value: unknown, spec: string): EventRouterPlugin {
  const problem = (text: string): PluginLoadError => new PluginLoadError(`plugin "${spec}": ${text}`);
  if (typeof value !== 'object' || value === null) throw problem('exports no plugin (a default export, or an export named `plugin`)');
  const plugin = value as Record<string, unknown>;
  if (typeof plugin['name'] !== 'string' || plugin['name'] === '') throw problem('has no `name`');
  for (const format of ['xapi', 'caliper'] as const) {
    const table = plugin[format];
    if (table === undefined) continue;
    if (typeof table !== 'object' || table === null) throw problem(`\`${format}\` is not a table of event names to transformers`);
    for (const [name, transformer] of Object.entries(table)) {
      if (typeof transformer !== 'function') throw problem(`\`${format}["${name}"]\` is not a function`);
    }
  }
  const replaces = plugin['replaces'];
  if (replaces !== undefined && !(Array.isArray(replaces) && replaces.every((name) => typeof name === 'string'))) {
    throw problem('`replaces` is not a list of event names');
  }
  if (plugin['xapi'] === undefined && plugin['caliper'] === undefined) throw problem('has neither `xapi` nor `caliper` transformers');
  return value as EventRouterPlugin;
}
