import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadSettings } from '../../config/load.js';
import type { Settings } from '../../config/schema.js';
import { destinationPolicyFrom } from '../../routers/destination-policy.js';
import { parseErbRouters } from '../../routers/erb-import.js';
import { matchRouterId } from '../../routers/match-router-id.js';
import { parseRouterDraft, resolveRouter } from '../../routers/parse-router.js';
import type { FieldError, StoredRouter } from '../../routers/types.js';
import { toRouterView } from '../../routers/view.js';
import { describeHeld, removeRouter } from '../../queue/remove-router.js';
import type { RouterStore } from '../../storage/router-store.js';
import { CliError } from '../../core/cli-error.js';
import { openCliOutbox } from '../outbox.js';
import { openCliRouterStore } from '../router-store.js';
import { printWarnings, reportErrors } from './config.js';

interface StoreOptions {
  config?: string;
  dataDir?: string;
}

interface RouterOptions extends StoreOptions {
  backend?: string;
  url?: string;
  auth?: string;
  username?: string;
  password?: string;
  passwordFile?: string;
  token?: string;
  tokenFile?: string;
  configurations?: string;
  configurationsFile?: string;
  enabled?: boolean;
}

/**
 * Registers `routers list|add|update|remove|retry|import`. They work directly on the data
 * directory's database; a running `serve` picks the changes up within a second or two.
 */
export function registerRoutersCommands(program: Command): void {
  const routers = program.command('routers').description("Manage the LRS routers (ERB's RouterConfiguration) in the data directory.");

  withStore(routers.command('list').description('List the routers (no passwords or tokens).'))
    .option('--json', 'print JSON')
    .action((options: StoreOptions & { json?: boolean }) =>
      useStore(options, async (store) => {
        const views = (await store.list()).map(toRouterView);
        if (options.json) return print(JSON.stringify(views, null, 2));
        if (views.length === 0) return print('no routers');
        const idWidth = Math.max(2, ...views.map((v) => v.id.length));
        print(`${'ID'.padEnd(idWidth)}  ${'BACKEND'}  ${'STATE   '}  ${'AUTH   '}  URL  [MATCH_PARAMS]`);
        for (const v of views) {
          const auth = v.authScheme === 'none' ? 'no auth' : v.authScheme;
          const match = Object.keys((v.configurations?.['match_params'] as object | undefined) ?? {}).join(',') || 'all events';
          print(`${v.id.padEnd(idWidth)}  ${v.backend.padEnd(7)}  ${v.enabled ? 'enabled ' : 'disabled'}  ${auth.padEnd(7)}  ${v.routeUrl}  [${match}]`);
        }
      }),
    );

  withRouterFields(withStore(routers.command('add').description('Add a router.')))
    .option('--disabled', 'add it disabled')
    .action((options: RouterOptions & { disabled?: boolean }) =>
      useStore(options, async (store, settings) => {
        const draft = parseDraft({ ...draftInput(options), ...(options.disabled ? { enabled: false } : {}) });
        const resolved = resolveRouter(draft.draft, { mode: 'create', fieldNames: draft.fieldNames, destinations: destinationPolicyFrom(settings) });
        if (!resolved.ok) throw refused(resolved.errors);
        const saved = await store.create(resolved.spec);
        if (!saved.ok) throw new CliError(saved.message);
        report('created', saved.router, resolved.warnings);
      }),
    );

  withRouterFields(withStore(routers.command('update').description('Change some fields of a router; the others stay.')))
    .argument('<id>', 'router id (or a unique prefix of it)')
    .option('--enable', 'enable the router')
    .option('--disable', 'disable the router')
    .action((id: string, options: RouterOptions & { enable?: boolean; disable?: boolean }) =>
      useStore(options, async (store, settings) => {
        const existing = await findRouter(store, id);
        if (options.enable && options.disable) throw new CliError('--enable and --disable exclude each other');
        const enabled = options.enable ? { enabled: true } : options.disable ? { enabled: false } : {};
        const draft = parseDraft({ ...draftInput(options), ...enabled });
        const resolved = resolveRouter(draft.draft, {
          mode: 'patch',
          base: existing,
          fieldNames: draft.fieldNames,
          destinations: destinationPolicyFrom(settings),
        });
        if (!resolved.ok) throw refused(resolved.errors);
        const saved = await store.update(existing.id, resolved.spec);
        if (!saved.ok) throw new CliError(saved.message);
        report('updated', saved.router, resolved.warnings);
      }),
    );

  withStore(routers.command('remove').description('Remove a router; one with queued statements or dead letters only with --force, which discards them.'))
    .argument('<id>', 'router id (or a unique prefix of it)')
    .option('--force', 'remove it even with queued statements or dead letters, and discard them')
    .action((id: string, options: StoreOptions & { force?: boolean }) =>
      useStore(options, async (store, settings) => {
        const existing = await findRouter(store, id);
        const queue = await openCliOutbox(settings);
        try {
          // No outbox yet (serve never ran here): nothing can be queued for the router.
          const outbox = queue ?? {
            stats: async () => ({ depth: 0, deadLetters: 0, routers: [] }),
            discardRouter: async () => ({ queued: 0, deadLetters: 0 }),
          };
          const outcome = await removeRouter({ routers: store, queue: outbox }, existing.id, { force: options.force === true });
          if (!outcome.ok && outcome.reason === 'not_found') throw new CliError(`no router with id ${existing.id}`);
          if (!outcome.ok) {
            throw new RefusedError([
              `router ${existing.id} still has ${describeHeld(outcome)}; nothing removed`,
              'add --force to remove it and discard them, or disable it (routers update --disable) to keep them',
            ]);
          }
          process.stderr.write(`removed router ${existing.id} (${existing.backend} → ${existing.routeUrl})\n`);
          const { discarded } = outcome;
          if (discarded.queued > 0 || discarded.deadLetters > 0) process.stderr.write(`discarded ${describeHeld(discarded)} (reason router_deleted)\n`);
        } finally {
          await queue?.close();
        }
      }),
    );

  withStore(
    routers
      .command('retry')
      .description(
        "Retry now: the router's statements waiting for a later attempt (a backoff, a Retry-After) become due at once. A running serve sends them within a second, once its own wait for the router ends (the admin page and POST /api/routers/<id>/retry also end that wait).",
      ),
  )
    .argument('<id>', 'router id (or a unique prefix of it)')
    .action((id: string, options: StoreOptions) =>
      useStore(options, async (store, settings) => {
        const existing = await findRouter(store, id);
        const queue = await openCliOutbox(settings);
        // No outbox yet (serve never ran here): nothing can wait.
        const waiting = queue === undefined ? 0 : await queue.retryNow(existing.id).finally(() => queue.close());
        print(`${waiting} waiting statement${waiting === 1 ? ' is' : 's are'} due now for router ${existing.id} (${existing.backend} → ${existing.routeUrl})`);
      }),
    );

  withStore(
    routers
      .command('import')
      .description(
        'Import ERB router rows (JSON list: backend_name, route_url, auth_scheme, auth_key, username, password, enabled, configurations; or Django dumpdata). Creates or updates by route_url; all or nothing.',
      ),
  )
    .argument('<file>', 'JSON file, or - for standard input')
    .option('--dry-run', 'validate and show what would change, without storing')
    .action((file: string, options: StoreOptions & { dryRun?: boolean }) =>
      useStore(options, async (store, settings) => {
        const outcome = parseErbRouters(readJson(file), destinationPolicyFrom(settings));
        if (!outcome.ok) throw refused(outcome.errors, 'import refused, nothing stored');
        for (const router of outcome.routers) for (const w of router.warnings) process.stderr.write(`warning: ${w}\n`);
        for (const { index, reason } of outcome.skipped) process.stderr.write(`skipped [${index}]: ${reason}\n`);
        if (options.dryRun) return print(`would import ${outcome.routers.length} router(s); nothing stored (--dry-run)`);
        const result = await store.importRouters(outcome.routers.map((r) => r.spec));
        print(
          `imported ${outcome.routers.length} router(s): ${result.created.length} created, ${result.updated.length} updated, ${outcome.skipped.length} skipped`,
        );
        for (const router of [...result.created, ...result.updated]) print(`${router.id}  ${router.backend}  ${router.routeUrl}`);
      }),
    );
}

function withStore(command: Command): Command {
  return command
    .option('--config <file>', 'settings file (for EVENT_ROUTER_DATA_DIR and EVENT_ROUTER_SECRET_KEY)')
    .option('--data-dir <dir>', 'data directory (overrides the settings)');
}

function withRouterFields(command: Command): Command {
  return command
    .option('--backend <backend>', 'xapi or caliper')
    .option('--url <url>', 'route URL (xAPI: the LRS base, e.g. https://lrs.example.com/xAPI/)')
    .option('--auth <scheme>', 'none, basic or bearer')
    .option('--username <name>', 'basic auth user name')
    .option('--password <password>', 'basic auth password (visible to other local users in ps; prefer --password-file)')
    .option('--password-file <file>', 'read the basic auth password from a file')
    .option('--token <token>', 'bearer token (visible in ps; prefer --token-file)')
    .option('--token-file <file>', 'read the bearer token from a file')
    .option('--configurations <json>', 'ERB configurations JSON (match_params, override_args, headers)')
    .option('--configurations-file <file>', 'read the configurations JSON from a file');
}

/** Open the store named by the settings, run `work`, always close. */
async function useStore(options: StoreOptions, work: (store: RouterStore, settings: Settings) => Promise<void>): Promise<void> {
  const loaded = loadSettings({ configFile: options.config, flags: { EVENT_ROUTER_DATA_DIR: options.dataDir } });
  if (!reportErrors(loaded)) return;
  printWarnings(loaded, { transformsEvents: false });
  const store = await openCliRouterStore(loaded.settings);
  try {
    await work(store, loaded.settings);
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    for (const line of error.lines) process.stderr.write(`${line}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

/** Field errors: printed one per line, exit code 1, nothing stored. */
class RefusedError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

function refused(errors: readonly FieldError[], headline = 'router refused, nothing stored'): RefusedError {
  return new RefusedError([...errors.map((e) => (e.field === '' ? e.message : `${e.field}: ${e.message}`)), headline]);
}

/** CLI options → an API-shaped body, so the CLI and the API share one parser. */
function draftInput(options: RouterOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (options.backend !== undefined) input['backend'] = options.backend;
  if (options.url !== undefined) input['routeUrl'] = options.url;
  if (options.auth !== undefined) input['authScheme'] = options.auth;
  if (options.username !== undefined) input['username'] = options.username;
  const password = options.passwordFile !== undefined ? readSecret(options.passwordFile) : options.password;
  if (password !== undefined) input['password'] = password;
  const token = options.tokenFile !== undefined ? readSecret(options.tokenFile) : options.token;
  if (token !== undefined) input['token'] = token;
  const configurations = options.configurationsFile !== undefined ? readText(options.configurationsFile) : options.configurations;
  if (configurations !== undefined) input['configurations'] = configurations;
  return input;
}

function parseDraft(input: Record<string, unknown>): Extract<ReturnType<typeof parseRouterDraft>, { ok: true }> {
  const draft = parseRouterDraft(input);
  if (!draft.ok) throw refused(draft.errors.map((e) => ({ ...e, field: cliName(e.field) })));
  return draft;
}

function cliName(field: string): string {
  const names: Record<string, string> = { backend: '--backend', routeUrl: '--url', authScheme: '--auth' };
  return names[field] ?? field;
}

async function findRouter(store: RouterStore, idOrPrefix: string): Promise<StoredRouter> {
  const exact = await store.get(idOrPrefix);
  if (exact !== undefined) return exact;
  const match = matchRouterId(await store.list(), idOrPrefix);
  if (!match.ok) throw new CliError(match.message);
  return match.router;
}

function report(what: string, router: StoredRouter, warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stderr.write(`${what} router ${router.id} (${router.backend} → ${router.routeUrl})\n`);
  print(JSON.stringify(toRouterView(router), null, 2));
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** A secret file's content without its trailing newline. */
function readSecret(file: string): string {
  return readText(file).replace(/\r?\n$/, '');
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RefusedError([`${file}: not valid JSON: ${(error as Error).message}`, 'import refused, nothing stored']);
  }
}
