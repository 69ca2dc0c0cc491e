import type { Command } from 'commander';
import { parseSelector, toDeadLetterView } from '../../admin/routes/dead-letters.js';
import { loadSettings } from '../../config/load.js';
import type { DeliveryQueue } from '../../queue/port.js';
import { CliError } from '../cli-support.js';
import { openCliOutbox } from '../outbox.js';
import { printWarnings, reportErrors } from './config.js';

interface StoreOptions {
  config?: string;
  dataDir?: string;
}

interface SelectOptions extends StoreOptions {
  router?: string;
  ids?: string;
  before?: string;
  all?: boolean;
}

/**
 * Registers `dead-letters list|retry|purge`: statements delivery gave up on, in the data
 * directory's outbox. They work on the file directly, also while `serve` runs (a retried dead
 * letter is picked up by the running service within a second).
 */
export function registerDeadLettersCommands(program: Command): void {
  const group = program.command('dead-letters').description('Inspect, retry or purge the statements delivery gave up on.');

  withStore(group.command('list').description('List dead letters, oldest first.'))
    .option('--router <id>', 'only this router')
    .option('--limit <n>', 'at most n', '100')
    .option('--after <id>', 'page: those after this dead-letter id')
    .option('--json', 'one JSON object per line, with the statement')
    .action((options: StoreOptions & { router?: string; limit: string; after?: string; json?: boolean }) =>
      useQueue(options, async (queue) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit must be a positive integer');
        const letters = await queue.deadLetters.list({
          limit,
          ...(options.router !== undefined ? { routerId: options.router } : {}),
          ...(options.after !== undefined ? { afterId: options.after } : {}),
        });
        for (const letter of letters.map(toDeadLetterView)) {
          if (options.json) {
            print(JSON.stringify(letter));
            continue;
          }
          const status = letter.response?.statusCode ?? letter.response?.errorCode ?? '';
          const detail = letter.response?.body ?? letter.response?.message ?? letter.lastError ?? '';
          print(`${letter.id}\t${letter.deadAt}\t${letter.routerId}\t${letter.reason}\t${status}\t${letter.eventName ?? ''}\t${letter.eventId}\t${oneLine(detail)}`);
        }
        const stats = await queue.stats();
        process.stderr.write(`${letters.length} shown; ${stats.deadLetters} dead letters in total\n`);
      }),
    );

  withSelection(withStore(group.command('retry').description('Put dead letters back at the end of the outbox, with fresh retry metadata.'))).action(
    (options: SelectOptions) =>
      useQueue(options, async (queue) => {
        const outcome = await queue.deadLetters.retry(selection(options));
        if (!outcome.ok) throw new CliError(`the outbox is full (${outcome.depth} of ${outcome.maxDepth}); nothing was moved`);
        print(`moved ${outcome.moved} dead letters back to the outbox`);
      }),
  );

  withSelection(withStore(group.command('purge').description('Delete dead letters for good.'))).action((options: SelectOptions) =>
    useQueue(options, async (queue) => {
      const purged = await queue.deadLetters.purge(selection(options));
      print(`purged ${purged} dead letters`);
    }),
  );
}

function withStore(command: Command): Command {
  return command
    .option('--config <file>', 'settings file, YAML or JSON (or $EVENT_ROUTER_CONFIG)')
    .option('--data-dir <dir>', 'data directory (EVENT_ROUTER_DATA_DIR, default ./data)');
}

function withSelection(command: Command): Command {
  return command
    .option('--router <id>', 'those of this router')
    .option('--ids <ids>', 'these dead-letter ids, comma-separated')
    .option('--before <time>', 'those dead-lettered before this ISO date-time')
    .option('--all', 'every dead letter (required when nothing else selects)');
}

function selection(options: SelectOptions) {
  const parsed = parseSelector({
    routerId: options.router,
    ids: options.ids?.split(',').map((id) => id.trim()).filter((id) => id !== ''),
    before: options.before,
    all: options.all === true ? true : undefined,
  });
  if (!parsed.ok) throw new CliError(parsed.message.replace('routerId', '--router').replace('{"all": true}', '--all'));
  return parsed.selector;
}

async function useQueue(options: StoreOptions, work: (queue: DeliveryQueue) => Promise<void>): Promise<void> {
  const loaded = loadSettings({ configFile: options.config, flags: { EVENT_ROUTER_DATA_DIR: options.dataDir } });
  if (!reportErrors(loaded)) return;
  printWarnings(loaded);
  const { settings } = loaded;
  const queue = await openCliOutbox(settings);
  if (queue === undefined) throw new CliError(`no outbox in ${settings.EVENT_ROUTER_DATA_DIR} (has serve run there?)`);
  try {
    await work(queue);
  } finally {
    await queue.close();
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
