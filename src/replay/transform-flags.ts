import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultTransformerVersion } from '../config/package-version.js';
import { CliError } from '../core/cli-error.js';
import { EMPTY_LOOKUPS, type Lookups } from '../transforms/shared/lookups.js';
import { loadTransformerRegistry, pluginFailureMessage } from '../transforms/plugins/index.js';
import { isPluginPath } from '../transforms/plugins/load.js';
import { loadStaticLookups } from '../transforms/shared/static-lookups.js';
import { createTransformContext, type CompatMode, type IfiType, type TransformContext } from '../transforms/shared/transform-settings.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../transforms/transform-event.js';

/** The transform flags shared by `transform` and `replay`, as commander parses them. */
export interface TransformFlags {
  format: OutputFormat;
  lookups?: string;
  lmsUrl: string;
  transformerVersion?: string;
  compat?: string;
  ifiType: IfiType;
  /** `--plugin`, repeatable. */
  plugin?: string[];
}

/**
 * What a transform context is built from: plain data, so that a worker thread can build the
 * same context as the main thread.
 */
export interface ContextSettings {
  /** Without trailing slash. */
  lmsUrl: string;
  transformerVersion: string;
  ifiType: IfiType;
  compat: CompatMode;
  /** A static lookups file (JSON); none: every user unknown, course names fall back to ids. */
  lookupsFile?: string;
  /** Transformer plugins: absolute file paths or package names (docs/plugins.md). */
  plugins?: string[];
}

/** Adds --format, --lookups, --lms-url, --transformer-version, --compat, --ifi-type and --plugin. */
export function addTransformFlags(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('xapi'))
    .option('--lookups <file>', 'static identity and course-name lookups (JSON)')
    .option('--lms-url <url>', 'LMS root URL, prefix of every IRI', 'http://localhost:18000')
    .option('--transformer-version <text>', 'transformer version written into each statement (default: edx-event-router@<version>)')
    .addOption(new Option('--compat <mode>', "'erb': reproduce ERB's output exactly, invalid forms included").choices(['erb', 'valid']))
    .addOption(
      new Option('--ifi-type <type>', 'actor identifier (XAPI_AGENT_IFI_TYPE)').choices(['external_id', 'mbox', 'mbox_sha1sum']).default('external_id'),
    )
    .option('--plugin <file>', 'load a transformer plugin (a file or a package name; repeatable; see docs/plugins.md)', collect);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The LMS URL without trailing slashes; a CliError when it is not an http(s) URL. */
export function checkedLmsUrl(text: string): string {
  const lmsUrl = text.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(lmsUrl)) throw new CliError(`--lms-url must be an http(s) URL, got "${text}"`);
  return lmsUrl;
}

/** Context settings from the flags (the lookups file is not read yet). */
export function contextSettingsFrom(flags: TransformFlags): ContextSettings {
  const settings: ContextSettings = {
    lmsUrl: checkedLmsUrl(flags.lmsUrl),
    transformerVersion: flags.transformerVersion ?? defaultTransformerVersion(),
    ifiType: flags.ifiType,
    compat: (flags.compat ?? 'valid') as CompatMode,
  };
  if (flags.lookups !== undefined) settings.lookupsFile = flags.lookups;
  // Paths made absolute here, so that worker threads load the same files.
  if (flags.plugin !== undefined) settings.plugins = flags.plugin.map((spec) => (isPluginPath(spec) ? resolve(spec) : spec));
  return settings;
}

/** Reads the lookups file; a CliError with a one-line message when it is unreadable or invalid. */
export function loadLookupsFlag(path: string | undefined): Lookups {
  if (path === undefined) return EMPTY_LOOKUPS;
  try {
    return loadStaticLookups(path);
  } catch (error) {
    throw new CliError((error as Error).message.split('\n').join('; '));
  }
}

/** The transform context of the settings, reading the lookups file and loading the plugins. */
export async function buildTransformContext(settings: ContextSettings): Promise<TransformContext> {
  const lookups = loadLookupsFlag(settings.lookupsFile);
  let registry;
  try {
    registry = await loadTransformerRegistry(settings.plugins ?? [], (plugin, event, message) =>
      process.stderr.write(`edx-event-router: ${pluginFailureMessage(plugin, event, message)}\n`),
    );
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return createTransformContext({
    lmsUrl: settings.lmsUrl,
    transformerVersion: settings.transformerVersion,
    ifiType: settings.ifiType,
    compat: settings.compat,
    lookups,
    registry,
  });
}
