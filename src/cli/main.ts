import { Command, CommanderError } from 'commander';
import { packageVersion } from '../config/package-version.js';
import { CliError } from '../core/cli-error.js';

type Register = (program: Command) => void;

/**
 * Each command's module, in help order, loaded only for the command that runs: a replay or a
 * transform does not load (or keep in memory) the service, storage and bus modules.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['transform', async () => (await import('./commands/transform.js')).registerTransformCommand],
  ['events', async () => (await import('./commands/events.js')).registerEventsCommand],
  ['config', async () => (await import('./commands/config.js')).registerConfigCommands],
  ['routers', async () => (await import('./commands/routers.js')).registerRoutersCommands],
  ['serve', async () => (await import('./commands/serve.js')).registerServeCommands],
  ['consume', async () => (await import('./commands/consume.js')).registerConsumeCommand],
  ['dead-letters', async () => (await import('./commands/dead-letters.js')).registerDeadLettersCommands],
  ['identities', async () => (await import('./commands/identities.js')).registerIdentitiesCommands],
  ['bus', async () => (await import('./commands/bus.js')).registerBusCommands],
  ['replay', async () => (await import('./commands/replay.js')).registerReplayCommands],
  ['lms-settings', async () => (await import('./commands/lms-settings.js')).registerLmsSettingsCommand],
];

/**
 * Builds the command tree; every command registers itself from its own module. With `command`
 * naming one of them, only that one is loaded; otherwise (help, an unknown command) all are.
 */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('edx-event-router')
    .description('Routes Open edX learning events to xAPI 1.0.3 LRSs and IMS Caliper 1.2 endpoints.')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const only = COMMANDS.filter(([name]) => name === command);
  for (const [, load] of only.length > 0 ? only : COMMANDS) (await load())(program);
  return program;
}

/** Runs the CLI; returns the process exit code. Bad options or unreadable files: one line, exit 2. */
export async function main(argv: string[]): Promise<number> {
  // `edx-event-router transform … | head`: a closed pipe ends the run quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = await buildProgram(argv[0]);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`edx-event-router: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
