import { Command, CommanderError } from 'commander';
import { registerConfigCommands } from './commands/config.js';
import { registerConsumeCommand } from './commands/consume.js';
import { registerDeadLettersCommands } from './commands/dead-letters.js';
import { registerEventsCommand } from './commands/events.js';
import { registerIdentitiesCommands } from './commands/identities.js';
import { registerRoutersCommands } from './commands/routers.js';
import { registerServeCommands } from './commands/serve.js';
import { registerTransformCommand } from './commands/transform.js';
import { registerBusCommands } from './commands/bus.js';
import { registerReplayCommands } from './commands/replay.js';
import { CliError, packageVersion } from './cli-support.js';

/** Builds the command tree; every command registers itself from its own module. */
export function buildProgram(): Command {
  const program = new Command('edx-event-router')
    .description('Routes Open edX learning events to xAPI 1.0.3 LRSs and IMS Caliper 1.2 endpoints.')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerTransformCommand(program);
  registerEventsCommand(program);
  registerConfigCommands(program);
  registerRoutersCommands(program);
  registerServeCommands(program);
  registerConsumeCommand(program);
  registerDeadLettersCommands(program);
  registerIdentitiesCommands(program);
  registerBusCommands(program);
  registerReplayCommands(program);
  return program;
}

/** Runs the CLI; returns the process exit code. Bad options or unreadable files: one line, exit 2. */
export async function main(argv: string[]): Promise<number> {
  // `edx-event-router transform … | head`: a closed pipe ends the run quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
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
