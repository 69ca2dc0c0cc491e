import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../config/load.js';
import { loadTransformerRegistry, type TransformerRegistry } from '../../transforms/plugins/index.js';
import { isPluginPath } from '../../transforms/plugins/load.js';
import { supportedEvents, supportedEventsMarkdown, unsupportedReason } from '../../transforms/supported-events.js';
import { CliError } from '../../core/cli-error.js';
import { reportErrors } from './config.js';

interface EventsOptions {
  markdown?: boolean;
  config?: string;
  plugin?: string[];
}

/**
 * `edx-event-router events`: the event names each backend transforms, where each transformer comes
 * from (built-in, a bundled port, a plugin), and why other names are skipped.
 */
export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('list the Open edX events transformed to xAPI and Caliper, where each transformer comes from, and the reason for each one skipped')
    .option('--markdown', 'print the README table (built-in transformers only)')
    .option('--config <file>', 'settings file whose EVENT_ROUTER_PLUGINS are listed too')
    .option(
      '--plugin <file>',
      'a transformer plugin to list too (repeatable; default: EVENT_ROUTER_PLUGINS)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(async (options: EventsOptions) => {
      if (options.markdown) {
        process.stdout.write(supportedEventsMarkdown() + '\n');
        return;
      }
      const registry = await registryFor(options);
      if (registry === undefined) return;
      for (const row of supportedEvents(registry)) {
        const describe = (format: 'xapi' | 'caliper', ok: boolean): string =>
          ok
            ? `yes (${registry.origin(format, row.name) ?? 'built-in'})`
            : `no (${unsupportedReason(format, row.name) ?? `no ${format === 'xapi' ? 'xAPI' : 'Caliper'} transformer`})`;
        process.stdout.write(`${row.name}\n  xAPI: ${describe('xapi', row.xapi)}\n  Caliper: ${describe('caliper', row.caliper)}\n`);
      }
    });
}

async function registryFor(options: EventsOptions): Promise<TransformerRegistry | undefined> {
  let specs = options.plugin?.map((spec) => (isPluginPath(spec) ? resolve(spec) : spec));
  if (specs === undefined) {
    const loaded = loadSettings({ configFile: options.config, flags: {} });
    if (!reportErrors(loaded)) return undefined;
    specs = [...loaded.settings.EVENT_ROUTER_PLUGINS];
  }
  try {
    return await loadTransformerRegistry(specs, () => undefined);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
