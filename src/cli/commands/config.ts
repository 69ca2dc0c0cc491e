import type { Command } from 'commander';
import { stringify } from 'yaml';
import { renderSettingsReference } from '../../config/docs.js';
import { formatIssue } from '../../config/issues.js';
import { LMS_ROOT_URL_WARNING, loadSettings, type LoadOutcome } from '../../config/load.js';
import { redactSettings } from '../../config/redact.js';
import { SETTING_NAMES } from '../../config/schema.js';

/** Registers `config check`, `config show` and `config docs`. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('Check and show the settings (file, environment, defaults).');

  config
    .command('check')
    .description('Validate a settings file (with the environment on top); prints every error with its path.')
    .argument('<file>', 'settings file, YAML or JSON')
    .option('--ignore-env', 'check the file alone, without environment variables')
    .action((file: string, options: { ignoreEnv?: boolean }) => {
      const outcome = loadSettings({ configFile: file, ignoreEnv: options.ignoreEnv === true });
      if (!reportErrors(outcome)) return;
      printWarnings(outcome);
      process.stdout.write(`${file}: OK\n`);
    });

  config
    .command('show')
    .description('Print the effective settings (CLI flags > env > file > defaults), secrets redacted.')
    .option('--config <file>', 'settings file, YAML or JSON')
    .option('--json', 'print JSON instead of YAML')
    .action((options: { config?: string; json?: boolean }) => {
      const outcome = loadSettings({ configFile: options.config });
      if (!reportErrors(outcome)) return;
      printWarnings(outcome, { transformsEvents: false });
      const shown = redactSettings(outcome.settings);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      for (const name of SETTING_NAMES) {
        const source = outcome.sources[name];
        const value = shown[name];
        const rendered = value === undefined ? `${name}: null  # not set` : stringify({ [name]: value }).trimEnd();
        process.stdout.write(`${rendered}${source === 'default' ? '' : `  # from ${describeSource(source, outcome.configFile)}`}\n`);
      }
    });

  config
    .command('docs')
    .description('Print the settings reference (Markdown) generated from the schema.')
    .action(() => {
      process.stdout.write(`${renderSettingsReference()}\n`);
    });
}

/** Prints every error at once; false (and exit code 1) when there were any. */
export function reportErrors(outcome: LoadOutcome): outcome is Extract<LoadOutcome, { ok: true }> {
  if (outcome.ok) return true;
  for (const issue of outcome.errors) process.stderr.write(`${formatIssue(issue)}\n`);
  const count = outcome.errors.length;
  process.stderr.write(`${count} error${count === 1 ? '' : 's'} in the settings\n`);
  process.exitCode = 1;
  return false;
}

/**
 * Prints the settings' warnings. The LMS_ROOT_URL one concerns only commands that transform
 * events: commands that look at routers, the outbox or the settings leave it out.
 */
export function printWarnings(outcome: Extract<LoadOutcome, { ok: true }>, { transformsEvents = true } = {}): void {
  for (const warning of outcome.warnings) {
    if (!transformsEvents && warning.startsWith(LMS_ROOT_URL_WARNING)) continue;
    process.stderr.write(`warning: ${warning}\n`);
  }
}

function describeSource(source: string, configFile: string | undefined): string {
  if (source === 'file') return configFile ?? 'file';
  if (source === 'env') return 'environment';
  return 'command line';
}
