import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { openCheckpointStore, type CheckpointStore } from '../../replay/checkpoint-store.js';
import { isPostgresUrl, redactDatabaseUrl } from '../../storage/database-url.js';
import type { ReplayDestination } from '../../replay/destination.js';
import { createDryRunDestination } from '../../replay/destinations/dry-run-destination.js';
import { createLrsDestination } from '../../replay/destinations/lrs-destination.js';
import { createNdjsonDestination } from '../../replay/destinations/ndjson-destination.js';
import { parseTimeBound } from '../../replay/event-filter.js';
import { createInlineTransformer, createWorkerTransformer, type LineTransformer } from '../../replay/line-transformer.js';
import { checkpointScope, listSources } from '../../replay/list-sources.js';
import { parseLrsAuth } from '../../replay/lrs-auth.js';
import { startProgress } from '../../replay/progress.js';
import { createRateLimiter } from '../../replay/rate-limiter.js';
import { runReplay } from '../../replay/replay-run.js';
import { ReplaySummary } from '../../replay/replay-summary.js';
import type { ReplaySource } from '../../replay/sources/replay-source.js';
import type { S3Settings } from '../../replay/sources/s3-sources.js';
import { addTransformFlags, buildTransformContext, contextSettingsFrom, type TransformFlags } from '../../replay/transform-flags.js';
import type { EventFilterSettings } from '../../replay/event-filter.js';
import { runtimeFromSettings, type IdentityResolution, type LineTransformSettings } from '../../replay/transform-lines.js';
import { openErrorsLog } from '../../sources/tracking-log/errors-log.js';
import type { RoutersRequest } from '../../replay/destinations/stored-routers.js';
import { transformFlagsFromSettings } from '../../replay/settings-defaults.js';
import { identitySettingsFrom } from '../../config/identity-settings.js';
import { toDeliveryRouter } from '../../delivery/delivery-routers.js';
import { processorsFor } from '../../config/backend-processors.js';
import { destinationPolicyFrom } from '../../routers/destination-policy.js';
import type { Settings } from '../../config/schema.js';
import { loadReplayEnvironment, loadSettings, silenceAwsSdkNodeWarning, type ReplayEnvironment } from '../../config/load.js';
import { CliError } from '../../core/cli-error.js';

interface ReplayFlags extends TransformFlags {
  lrsUrl?: string;
  lrsAuth?: string;
  lrsTimeout: string;
  lrsRetryFor: string;
  sensor?: string;
  routers?: string | true;
  config?: string;
  dataDir?: string;
  output?: string;
  dryRun?: boolean;
  since?: string;
  until?: string;
  events?: string;
  batchSize: string;
  rate?: string;
  sleep?: string;
  concurrency: string;
  workers?: string;
  checkpoint?: string | false;
  restart?: boolean;
  s3Endpoint?: string;
  s3Region?: string;
  s3PathStyle?: boolean;
  errors?: string;
  progress: boolean;
  progressInterval: string;
}

export interface ReplayCommandDeps {
  /** Builds the destination of `--routers`. Default: the routers of the store `serve` uses (stored-routers.ts). */
  routersDestination?: (request: RoutersRequest) => Promise<ReplayDestination>;
}

const DEFAULT_CHECKPOINT = 'data/replay-checkpoints.db';

/** `edx-event-router replay`: bulk replay of tracking logs (files, directories, globs, S3). */
export function registerReplayCommands(program: Command, deps: ReplayCommandDeps = {}): void {
  const command = program
    .command('replay')
    .description('replay tracking logs (files, directories, globs, s3://bucket/prefix; plain or gzip) into an LRS, a file or stdout; resumable')
    .argument('<sources...>', 'files, directories, quoted globs ("logs/**/*.gz") or s3://bucket/prefix');
  addTransformFlags(command)
    .option('--lrs-url <url>', 'destination: POST batches to this xAPI LRS base URL (…/statements) or Caliper endpoint')
    .option('--lrs-auth <auth>', 'with --lrs-url: basic:USER:PASSWORD or bearer:TOKEN')
    .option('--lrs-timeout <seconds>', 'with --lrs-url or --routers: longest one request may take', '30')
    .option('--lrs-retry-for <seconds>', 'with --lrs-url or --routers: how long a batch is retried (5xx, 429, timeouts) before the replay stops', '300')
    .option('--sensor <id>', 'Caliper envelope sensor (default: the LMS URL)')
    .option('--routers [ids]', 'destination: the configured routers of the --format backend, or these routers (comma-separated ids, id prefixes or route URLs)')
    .option('--config <file>', 'with --routers: settings file (data directory or DATABASE_URL, backend filters, secret key)')
    .option('--data-dir <dir>', 'with --routers: data directory holding the routers (overrides the settings)')
    .option('--output <file>', 'destination: append NDJSON records to FILE; "-" for stdout')
    .option('--dry-run', 'destination: none; transform and count only')
    .option('--since <time>', 'only events at or after this time (ISO 8601; a date is midnight UTC)')
    .option('--until <time>', 'only events before this time')
    .option('--events <names>', 'only these event names (comma-separated; "prefix*" matches a prefix)')
    .option('--batch-size <n>', 'records per batch', '1000')
    .option('--rate <n>', 'at most N events per second (all sources together)')
    .option('--sleep <seconds>', 'pause after each batch of a source')
    .option('--concurrency <n>', 'sources replayed at once', '2')
    .option('--workers <n>', 'transform threads; 0: transform in the main thread (default: one per core)')
    .option(
      '--checkpoint <file>',
      `where progress is saved for resuming: a file or a postgres:// URL (default: DATABASE_URL when it names PostgreSQL, else ${DEFAULT_CHECKPOINT}; none for stdout unless given)`,
    )
    .option('--no-checkpoint', 'do not save or use checkpoints')
    .option('--restart', 'forget the checkpoints of this replay and start over')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:9000 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or AWS)')
    .option('--s3-region <region>', 'S3 region (default: AWS_REGION, AWS_DEFAULT_REGION or us-east-1)')
    .addOption(new Option('--s3-path-style', 'path-style S3 URLs (default: on when an endpoint is set)'))
    .addOption(new Option('--no-s3-path-style', 'virtual-host-style S3 URLs'))
    .option('--errors <file>', 'write one NDJSON record {file, line, reason, name, message} per line not delivered and per unreadable source')
    .option('--no-progress', 'no progress bar or progress lines')
    .option('--progress-interval <seconds>', 'between progress lines when stderr is not a terminal', '5')
    .action(async (sources: string[], flags: ReplayFlags, command: Command) => {
      const given = (flag: keyof TransformFlags): string | undefined => command.getOptionValueSource(flag);
      // The replay's composition: everything it takes from the settings and the environment is
      // read here, once, and handed down as parts.
      const environment = loadReplayEnvironment();
      const service = flags.routers === undefined ? undefined : await loadServiceSettings(flags);
      const effective = service === undefined ? flags : transformFlagsFromSettings(flags, given, service);
      process.exitCode = await runReplayCommand(sources, effective, deps, service, environment);
    });
}

async function runReplayCommand(
  args: string[],
  flags: ReplayFlags,
  deps: ReplayCommandDeps,
  service: Settings | undefined,
  environment: ReplayEnvironment,
): Promise<number> {
  const context = contextSettingsFrom(flags);
  const filter = filterFrom(flags);
  const batchSize = positiveInt(flags.batchSize, '--batch-size');
  const concurrency = positiveInt(flags.concurrency, '--concurrency');
  const workers = flags.workers === undefined ? availableParallelism() : nonNegativeInt(flags.workers, '--workers');
  const rate = flags.rate === undefined ? undefined : positiveNumber(flags.rate, '--rate');
  const sleepMs = flags.sleep === undefined ? 0 : nonNegativeNumber(flags.sleep, '--sleep') * 1000;
  // Validates the lookups file before anything is listed or sent.
  const ctx = await buildTransformContext(context);

  const { listed, dispose } = await listSources(args, () => s3Settings(flags, environment));
  if (!listed.ok) {
    dispose();
    throw new CliError(listed.message);
  }
  let destination: ReplayDestination;
  try {
    destination = await destinationFrom(flags, context.lmsUrl, deps, service);
  } catch (error) {
    dispose();
    throw error;
  }

  // With DATABASE_URL (PostgreSQL) set, checkpoints live in that database unless --checkpoint says otherwise.
  const databaseUrl = isPostgresUrl(environment.databaseUrl) ? environment.databaseUrl : undefined;
  const checkpointPath =
    flags.checkpoint === false
      ? undefined
      : typeof flags.checkpoint === 'string'
        ? flags.checkpoint
        : destination.checkpointKey === undefined || destination.checkpointKey === 'stdout'
          ? undefined
          : (databaseUrl ?? DEFAULT_CHECKPOINT);
  let checkpoints: CheckpointStore | undefined;
  if (checkpointPath !== undefined && destination.checkpointKey !== undefined) {
    const scope = checkpointScope({
      format: flags.format,
      destination: destination.checkpointKey,
      ...(filter.sinceMs !== undefined ? { since: new Date(filter.sinceMs).toISOString() } : {}),
      ...(filter.untilMs !== undefined ? { until: new Date(filter.untilMs).toISOString() } : {}),
      ...(filter.names !== undefined ? { events: filter.names } : {}),
    });
    const onDatabase = isPostgresUrl(checkpointPath);
    try {
      // Loaded only when asked for, so a replay to files never loads pg.
      checkpoints = onDatabase
        ? await (await import('../../replay/database-checkpoint-store.js')).openDatabaseCheckpointStore(checkpointPath, scope)
        : await openCheckpointStore(resolve(checkpointPath), scope);
    } catch (error) {
      await destination.close();
      dispose();
      const where = onDatabase ? `database ${redactDatabaseUrl(checkpointPath)}` : `file ${checkpointPath}`;
      throw new CliError(`cannot open checkpoint ${where}: ${(error as Error).message}`);
    }
    if (flags.restart) await checkpoints.clear();
  }

  const settings: LineTransformSettings = {
    format: flags.format,
    context,
    filter,
    encoding: destination.encoding ?? 'json',
    ...(destination.routing !== undefined ? { routing: destination.routing } : {}),
    ...(service !== undefined && destination.routing !== undefined ? { identity: identityResolution(service, context.lookupsFile, flags) } : {}),
  };
  const transformer: LineTransformer =
    workers === 0 ? createInlineTransformer({ ...(await runtimeFromSettings(settings)), ctx }) : createWorkerTransformer(settings, workers);

  const summary = new ReplaySummary();
  const progress = flags.progress
    ? startProgress(summary, {
        stream: process.stderr,
        tty: process.stderr.isTTY === true,
        dryRun: destination.delivers === false,
        ...(await totalBytes(listed.sources, checkpoints)),
        intervalMs: positiveNumber(flags.progressInterval, '--progress-interval') * 1000,
      })
    : undefined;
  const errors = openErrorsLog(flags.errors);
  const interrupt = new AbortController();
  const onSignal = (): void => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write('\nedx-event-router: stopping; batches in flight settle, checkpoints are kept (again to quit at once)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const report = await runReplay({
      sources: listed.sources,
      transformer,
      destination,
      ...(checkpoints !== undefined ? { checkpoints } : {}),
      errors,
      batchSize,
      sleepMs,
      ...(rate !== undefined ? { limiter: createRateLimiter(rate) } : {}),
      concurrency,
      signal: interrupt.signal,
      summary,
    });
    progress?.stop();
    const unit = flags.format === 'xapi' ? 'statements' : 'Caliper events';
    process.stderr.write(report.summary.report(unit, destination.description, destination.delivers !== false));
    const details = destination.details?.() ?? [];
    if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
    switch (report.status) {
      case 'destination_failed':
        process.stderr.write(
          `edx-event-router: replay stopped, the destination is unavailable: ${report.error}\n` +
            (checkpoints ? 'Run the same command again to resume where it stopped.\n' : ''),
        );
        return 1;
      case 'interrupted':
        if (checkpoints) process.stderr.write('Run the same command again to resume where it stopped.\n');
        return 130;
      case 'partial':
        return 1;
      case 'completed':
        return report.summary.rejected.length > 0 ? 1 : 0;
    }
    return 1;
  } finally {
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await transformer.close();
    await destination.close();
    await errors.close();
    await checkpoints?.close();
    dispose();
  }
}

async function destinationFrom(flags: ReplayFlags, lmsUrl: string, deps: ReplayCommandDeps, service: Settings | undefined): Promise<ReplayDestination> {
  const chosen = [flags.lrsUrl !== undefined, flags.routers !== undefined, flags.output !== undefined, flags.dryRun === true].filter(Boolean).length;
  if (chosen === 0) throw new CliError('choose a destination: --routers, --lrs-url URL, --output FILE (or - for stdout), or --dry-run');
  if (chosen > 1) throw new CliError('choose one destination: --routers, --lrs-url, --output or --dry-run');
  if (flags.lrsAuth !== undefined && flags.lrsUrl === undefined) throw new CliError('--lrs-auth goes with --lrs-url');
  if ((flags.config !== undefined || flags.dataDir !== undefined) && flags.routers === undefined)
    throw new CliError('--config and --data-dir go with --routers');
  if (flags.dryRun) return createDryRunDestination();
  if (flags.output !== undefined) {
    const erbLog = flags.compat === 'erb' && flags.format === 'xapi';
    return createNdjsonDestination({ path: flags.output, encoding: erbLog ? 'erb-xapi-log' : 'json' });
  }
  if (flags.routers !== undefined && service !== undefined) {
    const open = deps.routersDestination ?? (await import('../../replay/destinations/stored-routers.js')).openStoredRoutersDestination;
    return open(routersRequestFrom(flags, lmsUrl, service));
  }
  const url = flags.lrsUrl as string;
  if (!/^https?:\/\/[^/\s]+/i.test(url)) throw new CliError(`--lrs-url must be an http(s) URL, got "${url}"`);
  const auth = flags.lrsAuth === undefined ? { scheme: 'none' as const } : parseLrsAuth(flags.lrsAuth);
  if (auth === undefined) throw new CliError('--lrs-auth must be basic:USER:PASSWORD or bearer:TOKEN');
  return createLrsDestination({
    format: flags.format,
    url,
    auth,
    caliperSensor: flags.sensor ?? lmsUrl,
    timeoutMs: positiveNumber(flags.lrsTimeout, '--lrs-timeout') * 1000,
    retryForMs: nonNegativeNumber(flags.lrsRetryFor, '--lrs-retry-for') * 1000,
  });
}

function filterFrom(flags: ReplayFlags): EventFilterSettings {
  const filter: EventFilterSettings = {};
  for (const [flag, text, key] of [
    ['--since', flags.since, 'sinceMs'],
    ['--until', flags.until, 'untilMs'],
  ] as const) {
    if (text === undefined) continue;
    const ms = parseTimeBound(text);
    if (ms === undefined) throw new CliError(`${flag} must be an ISO 8601 date or date-time, got "${text}"`);
    filter[key] = ms;
  }
  if (filter.sinceMs !== undefined && filter.untilMs !== undefined && filter.sinceMs >= filter.untilMs) {
    throw new CliError('--since must be before --until');
  }
  if (flags.events !== undefined) {
    const names = flags.events
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (names.length === 0) throw new CliError('--events needs at least one event name');
    filter.names = names;
  }
  return filter;
}

/** `--routers`: the parts the routers destination is built from, out of the service's settings. */
function routersRequestFrom(flags: ReplayFlags, lmsUrl: string, service: Settings): RoutersRequest {
  const ids =
    typeof flags.routers === 'string'
      ? flags.routers
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean)
      : undefined;
  const enabled = flags.format === 'xapi' ? service.XAPI_EVENTS_ENABLED : service.CALIPER_EVENTS_ENABLED;
  return {
    format: flags.format,
    ...(ids !== undefined ? { routerIds: ids } : {}),
    store: { dataDir: service.EVENT_ROUTER_DATA_DIR, secretKey: service.EVENT_ROUTER_SECRET_KEY, databaseUrl: service.DATABASE_URL },
    ...(enabled ? {} : { backendOff: flags.format === 'xapi' ? 'XAPI_EVENTS_ENABLED' : 'CALIPER_EVENTS_ENABLED' }),
    processors: processorsFor(service, flags.format),
    toDelivery: (router) => toDeliveryRouter(router, service),
    caliperSensor: flags.sensor ?? service.EVENT_ROUTER_CALIPER_SENSOR ?? lmsUrl,
    destinations: destinationPolicyFrom(service),
    timeoutMs: positiveNumber(flags.lrsTimeout, '--lrs-timeout') * 1000,
    retryForMs: nonNegativeNumber(flags.lrsRetryFor, '--lrs-retry-for') * 1000,
  };
}

/** `--routers`: the service's settings (settings file, environment), read once for the router store, the backend filters, identities and the transform settings. */
async function loadServiceSettings(flags: ReplayFlags): Promise<Settings> {
  const { formatIssue } = await import('../../config/issues.js');
  const loaded = loadSettings({ configFile: flags.config, flags: { EVENT_ROUTER_DATA_DIR: flags.dataDir } });
  if (!loaded.ok) throw new CliError(`invalid settings: ${loaded.errors.map(formatIssue).join('; ')}`);
  return loaded.settings;
}

/**
 * `--routers`: users and courses resolved as the service resolves them (lookups file, local store
 * on the same database, LMS), each transform thread with its own resolver. A typed `--lookups`
 * wins over EVENT_ROUTER_LOOKUPS_FILE, as it does for the transform context.
 */
function identityResolution(service: Settings, lookupsFile: string | undefined, flags: ReplayFlags): IdentityResolution {
  const { lookupsFile: _fromSettings, ...settings } = identitySettingsFrom(service);
  return {
    settings: lookupsFile !== undefined ? { ...settings, lookupsFile } : settings,
    localStore: { dataDir: service.EVENT_ROUTER_DATA_DIR, databaseUrl: service.DATABASE_URL },
    waitForMs: nonNegativeNumber(flags.lrsRetryFor, '--lrs-retry-for') * 1000,
  };
}

/** S3 settings from the flags, then the usual AWS variables (which the SDK also reads for credentials). */
function s3Settings(flags: ReplayFlags, environment: ReplayEnvironment): S3Settings {
  const endpoint = flags.s3Endpoint ?? environment.s3Endpoint;
  silenceAwsSdkNodeWarning();
  return {
    region: flags.s3Region ?? environment.s3Region ?? 'us-east-1',
    forcePathStyle: flags.s3PathStyle ?? endpoint !== undefined,
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
}

/** Bytes this run will read: sources not finished, less the part a plain source resumes past. */
async function totalBytes(sources: readonly ReplaySource[], checkpoints: CheckpointStore | undefined): Promise<{ totalBytes?: number }> {
  let total = 0;
  for (const source of sources) {
    if (source.size === undefined) return {};
    const saved = await checkpoints?.get(source.identity);
    if (saved?.done) continue;
    total += saved?.encoding === 'plain' ? Math.max(0, source.size - saved.bytes) : source.size;
  }
  return { totalBytes: total };
}

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`${flag} must be a positive whole number, got "${text}"`);
  return value;
}

function nonNegativeInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new CliError(`${flag} must be a whole number, got "${text}"`);
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new CliError(`${flag} must be a positive number, got "${text}"`);
  return value;
}

function nonNegativeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliError(`${flag} must be a number, got "${text}"`);
  return value;
}
