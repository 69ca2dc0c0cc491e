import type { Command } from 'commander';
import { supportedEvents, supportedEventsMarkdown, unsupportedReason } from '../../transforms/supported-events.js';

/** `edx-event-router events`: the event names each backend transforms, and why others are skipped. */
export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('list the Open edX events transformed to xAPI and Caliper, with the reason for each one skipped')
    .option('--markdown', 'print the README table')
    .action((options: { markdown?: boolean }) => {
      if (options.markdown) {
        process.stdout.write(supportedEventsMarkdown() + '\n');
        return;
      }
      for (const row of supportedEvents()) {
        const describe = (format: 'xapi' | 'caliper', ok: boolean): string =>
          ok ? 'yes' : `no (${unsupportedReason(format, row.name) ?? 'unknown'})`;
        process.stdout.write(`${row.name}\n  xAPI: ${describe('xapi', row.xapi)}\n  Caliper: ${describe('caliper', row.caliper)}\n`);
      }
    });
}
