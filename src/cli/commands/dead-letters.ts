import type { Command } from 'commander';
import { parseSelector, toDeadLetterView } from '../../admin/routes/dead-letters.js';
import { loadSettings } from '../../config/load.js';
import type { Settings } from '../../config/schema.js';
import type { DeliveryQueue } from '../../queue/port.js';
import { matchRouterId } from '../../routers/match-router-id.js';
import { CliError } from '../../core/cli-error.js';
import { openCliOutbox } from '../outbox.js';
import { openCliRouterStore } from '../router-store.js';
import { printWarnings, reportErrors } from './config.js';

/** Columns of `dead-letters list` (tab-separated, one dead letter a line). */
const LIST_HEADER = ['ID', 'DEAD_AT', 'ROUTER', 'REASON', 'STATUS', 'EVENT', 'STATEMENT_ID', 'DETAIL'];

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
    .option('--router <id>', 'only this router (id or a unique prefix of it)')
    .option('--limit <n>', 'at most n', '100')
    .option('--after <id>', 'page: those after this dead-letter id')
    .option('--json', 'one JSON object per line, with the statement')
    .action((options: StoreOptions & { router?: string; limit: string; after?: string; json?: boolean }) =>
      useQueue(options, async (queue, settings) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit must be a positive integer');
        const routerId = options.router !== undefined ? await resolveRouterId(options.router, queue, settings) : undefined;
        const letters = await queue.deadLetters.list({
          limit,
          ...(routerId !== undefined ? { routerId } : {}),
          ...(options.after !== undefined ? { afterId: options.after } : {}),
        });
        if (!options.json && letters.length > 0) print(LIST_HEADER.join('\t'));
        for (const letter of letters.map(toDeadLetterView)) {
          if (options.json) {
            print(JSON.stringify(letter));
            continue;
          }
          const status = letter.response?.statusCode ?? letter.response?.errorCode ?? '';
          const detail = letter.response?.body ?? letter.response?.message ?? letter.lastError ?? '';
          print(
            `${letter.id}\t${letter.deadAt}\t${letter.routerId}\t${letter.reason}\t${status}\t${letter.eventName ?? ''}\t${letter.statementId}\t${oneLine(detail)}`,
          );
        }
        const stats = await queue.stats();
        process.stderr.write(`${letters.length} shown; ${stats.deadLetters} dead letters in total\n`);
      }),
    );

  withSelection(withStore(group.command('retry').description('Put dead letters back at the end of the outbox, with fresh retry metadata.'))).action(
    (options: SelectOptions) =>
      useQueue(options, async (queue, settings) => {
        const outcome = await queue.deadLetters.retry(await selection(options, queue, settings));
        if (!outcome.ok) throw new CliError(`the outbox is full (${outcome.depth} of ${outcome.maxDepth}); nothing was moved`);
        print(`moved ${outcome.moved} dead letters back to the outbox`);
      }),
  );

  withSelection(withStore(group.command('purge').description('Delete dead letters for good.'))).action((options: SelectOptions) =>
    useQueue(options, async (queue, settings) => {
      const purged = await queue.deadLetters.purge(await selection(options, queue, settings));
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
    .option('--router <id>', 'those of this router (id or a unique prefix of it)')
    .option('--ids <ids>', 'these dead-letter ids, comma-separated')
    .option('--before <time>', 'those dead-lettered before this ISO date-time')
    .option('--all', 'every dead letter (required when nothing else selects)');
}

async function selection(options: SelectOptions, queue: DeliveryQueue, settings: Settings) {
  const parsed = parseSelector({
    routerId: options.router,
    ids: options.ids
      ?.split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    before: options.before,
    all: options.all === true ? true : undefined,
  });
  if (!parsed.ok) throw new CliError(cliFlags(parsed.message));
  const { selector } = parsed;
  if (selector.routerId !== undefined) selector.routerId = await resolveRouterId(selector.routerId, queue, settings);
  return selector;
}

/** The API's selector message in the CLI's words: its fields become the flags that set them. */
function cliFlags(message: string): string {
  return message
    .replace('"routerId"', '--router')
    .replace('"ids"', '--ids')
    .replace('"before"', '--before')
    .replace('send {"all": true}', 'give --all')
    .replace(/^(routerId|ids|before) /, (_, field: string) => `${field === 'routerId' ? '--router' : `--${field}`} `);
}

/**
 * `--router` takes an id or a unique prefix of one, as `routers update|remove` and `replay` do:
 * of the configured routers, or of those that still hold dead letters or queued statements.
 */
async function resolveRouterId(wanted: string, queue: DeliveryQueue, settings: Settings): Promise<string> {
  const store = await openCliRouterStore(settings);
  let ids: Set<string>;
  try {
    ids = new Set((await store.list()).map((router) => router.id));
  } finally {
    await store.close();
  }
  for (const router of (await queue.stats()).routers) ids.add(router.routerId);
  const match = matchRouterId(
    [...ids].map((id) => ({ id })),
    wanted,
  );
  if (!match.ok) throw new CliError(`--router: ${match.message}`);
  return match.router.id;
}

async function useQueue(options: StoreOptions, work: (queue: DeliveryQueue, settings: Settings) => Promise<void>): Promise<void> {
  const loaded = loadSettings({ configFile: options.config, flags: { EVENT_ROUTER_DATA_DIR: options.dataDir } });
  if (!reportErrors(loaded)) return;
  printWarnings(loaded, { transformsEvents: false });
  const { settings } = loaded;
  const queue = await openCliOutbox(settings);
  if (queue === undefined) throw new CliError(`no outbox in ${settings.EVENT_ROUTER_DATA_DIR} (has serve run there?)`);
  try {
    await work(queue, settings);
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
