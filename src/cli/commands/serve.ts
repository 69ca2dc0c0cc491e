import type { Command } from 'commander';
import type { App, AppOptions } from '../../app/create-app.js';
import { loadSettings } from '../../config/load.js';
import type { SettingName } from '../../config/schema.js';
import { identitySettingsFrom } from '../../config/identity-settings.js';
import { identityNotice } from '../../identity/identity-notice.js';
import { loadTransformerRegistry } from '../../transforms/plugins/index.js';
import { CliError } from '../../core/cli-error.js';
import { configuredLines } from '../startup-notes.js';
import { printWarnings, reportErrors } from './config.js';

interface ServeOptions {
  config?: string;
  dataDir?: string;
  host?: string;
  port?: string;
  lookups?: string;
  lmsUrl?: string;
  compat?: string;
  logLevel?: string;
  bus?: string;
  follow?: string[];
}

/** Registers `serve`: the whole service in one process, until SIGTERM or SIGINT. */
export function registerServeCommands(program: Command): void {
  withServiceOptions(
    program
      .command('serve')
      .description(
        'Run the service: POST /events ingest, pipeline, delivery to the routers, admin API, /healthz, /readyz, /metrics. Stops cleanly on SIGTERM/SIGINT.',
      ),
  )
    .option('--bus <url>', 'also consume the Open edX event bus: redis://… or kafka://… (EVENT_ROUTER_BUS_URL)')
    .action((options: ServeOptions) => runService(options, 'serve'));
}

/** The options `serve` and `consume` share. */
export function withServiceOptions(command: Command): Command {
  return command
    .option('--config <file>', 'settings file, YAML or JSON (or $EVENT_ROUTER_CONFIG)')
    .option('--data-dir <dir>', 'data directory (EVENT_ROUTER_DATA_DIR, default ./data)')
    .option('--host <host>', 'listen address (EVENT_ROUTER_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port, 0 for any free port (EVENT_ROUTER_PORT, default 8080)')
    .option('--lookups <file>', 'static lookups file (EVENT_ROUTER_LOOKUPS_FILE)')
    .option('--lms-url <url>', 'LMS root URL (LMS_ROOT_URL)')
    .option('--compat <mode>', 'valid or erb (EVENT_ROUTER_COMPAT)')
    .option('--log-level <level>', 'log level (EVENT_ROUTER_LOG_LEVEL)')
    .option(
      '--follow <path>',
      'follow a tracking log (path or glob; repeat for several) into the pipeline (EVENT_ROUTER_FOLLOW)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
}

/** Loads the settings, builds the app, starts it and waits for a signal; shared by serve and consume. */
export async function runService(options: ServeOptions, mode: 'serve' | 'consume'): Promise<void> {
  const flags: Partial<Record<SettingName, unknown>> = {
    EVENT_ROUTER_DATA_DIR: options.dataDir,
    EVENT_ROUTER_HOST: options.host,
    EVENT_ROUTER_PORT: options.port,
    EVENT_ROUTER_LOOKUPS_FILE: options.lookups,
    LMS_ROOT_URL: options.lmsUrl,
    EVENT_ROUTER_COMPAT: options.compat,
    EVENT_ROUTER_LOG_LEVEL: options.logLevel,
    EVENT_ROUTER_BUS_URL: options.bus,
    EVENT_ROUTER_FOLLOW: options.follow,
  };
  const loaded = loadSettings({ configFile: options.config, flags });
  if (!reportErrors(loaded)) return;
  printWarnings(loaded);
  if (mode === 'consume' && loaded.settings.EVENT_ROUTER_BUS_URL === undefined && loaded.settings.EVENT_ROUTER_FOLLOW.length === 0) {
    throw new CliError('consume needs --bus URL or --follow PATH (or EVENT_ROUTER_BUS_URL, EVENT_ROUTER_FOLLOW)');
  }

  try {
    // Checked here as well as in the pipeline (which may run in its own thread): a plugin that cannot
    // load, or replaces a built-in event without saying so, refuses start with its message.
    await loadTransformerRegistry(loaded.settings.EVENT_ROUTER_PLUGINS, () => undefined);
  } catch (error) {
    throw new CliError(`cannot start: ${(error as Error).message}`);
  }

  // Admin extensions (the web admin page's `registerAdminUi`) go into `extensions` here.
  const appOptions: AppOptions = mode === 'consume' ? { ingest: false, adminApi: false } : {};
  let app: App;
  try {
    // Loaded here, not at the top: other commands need not pay for fastify and SQLite.
    const { createApp } = await import('../../app/create-app.js');
    app = await createApp(loaded.settings, appOptions);
  } catch (error) {
    throw new CliError(`cannot start: ${(error as Error).message}`);
  }
  const stopped = waitForSignal(app);
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    throw new CliError(`cannot start on ${loaded.settings.EVENT_ROUTER_HOST}:${loaded.settings.EVENT_ROUTER_PORT}: ${(error as Error).message}`);
  }
  await announce(app, mode);
  await stopped;
  // Everything is closed; should a library still hold the event loop open, do not hang the exit.
  setTimeout(() => process.exit(), 3000).unref();
}

/**
 * Human-readable start-up notes on stderr; stdout carries the JSON log. They say what this
 * service has configured; the first-run example (add a router, send the samples) shows only
 * while there is no router.
 */
async function announce(app: App, mode: 'serve' | 'consume'): Promise<void> {
  const { adminToken, url, settings } = app;
  const routers = await app.routers.list();
  const lines = [
    mode === 'serve'
      ? `edx-event-router listening on ${url} (ingest: POST ${url}/events; admin page: ${url}/admin; admin API: ${url}/api/routers; ${url}/healthz, /readyz, /metrics)`
      : `edx-event-router consuming ${consumed(settings)}; health on ${url}/healthz, /readyz, /metrics (listening on ${url})`,
    `data directory: ${settings.EVENT_ROUTER_DATA_DIR}`,
  ];
  if (settings.EVENT_ROUTER_BUS_URL !== undefined && mode === 'serve') lines.push('event bus consumer: on');
  const notice = identityNotice(identitySettingsFrom(settings));
  lines.push(...configuredLines(settings, routers), notice.summary);
  if (notice.warning !== undefined) lines.push(`warning: ${notice.warning}`);
  if (settings.EVENT_ROUTER_FOLLOW.length > 0) {
    lines.push(`following: ${settings.EVENT_ROUTER_FOLLOW.join(', ')} (a file never read before starts at its ${settings.EVENT_ROUTER_FOLLOW_START})`);
  }
  const cliAdd = `npx edx-event-router routers add --data-dir ${settings.EVENT_ROUTER_DATA_DIR} --backend xapi --url https://lrs.example.com/xAPI/ --auth basic --username key --password-file FILE`;
  if (mode === 'consume') {
    if (routers.length === 0) lines.push('', 'Add a router:', `  ${cliAdd}`, '');
    process.stderr.write(`${lines.join('\n')}\n`);
    return;
  }
  lines.push(...adminTokenLines(adminToken, process.stderr.isTTY === true));
  if (routers.length > 0) {
    lines.push(`manage routers: ${url}/admin/routers, or npx edx-event-router routers list --data-dir ${settings.EVENT_ROUTER_DATA_DIR}`, '');
    process.stderr.write(`${lines.join('\n')}\n`);
    return;
  }
  const tokenRef = adminToken.path !== undefined ? `$(cat ${adminToken.path})` : '$EVENT_ROUTER_ADMIN_TOKEN';
  lines.push(
    '',
    `Add a router: on the admin page, ${url}/admin/routers/new, or`,
    `  curl -X POST ${url}/api/routers -H "Authorization: Bearer ${tokenRef}" -H 'Content-Type: application/json' \\`,
    `    -d '{"backend":"xapi","routeUrl":"https://lrs.example.com/xAPI/","authScheme":"basic","username":"key","password":"secret"}'`,
    `  or: ${cliAdd}`,
    '',
    'Send events:',
    `  curl -X POST ${url}/events${settings.EVENT_ROUTER_INGEST_TOKEN !== undefined ? ' -H "Authorization: Bearer $EVENT_ROUTER_INGEST_TOKEN"' : ''} -H 'Content-Type: application/x-ndjson' --data-binary @samples/events.ndjson`,
    '',
  );
  process.stderr.write(`${lines.join('\n')}\n`);
}

/**
 * What start-up says about the admin token. The token itself is shown only on a terminal, on
 * the start that generated it: when stderr goes to journald, a container log or a file, those
 * keep it for anyone who can read logs, so there the notes say where to read it instead.
 */
export function adminTokenLines(adminToken: App['adminToken'], tty: boolean): string[] {
  if (adminToken.path === undefined) return ['admin token: from EVENT_ROUTER_ADMIN_TOKEN'];
  if (!adminToken.created) return [`admin token: in ${adminToken.path}`];
  if (tty) return ['', `Admin token (generated now, shown once; kept in ${adminToken.path}, mode 0600):`, `  ${adminToken.token}`];
  return [
    '',
    `Admin token: generated now and kept in ${adminToken.path} (mode 0600); not printed, since this output is not a terminal and logs would keep it.`,
    `  Read it with: cat ${adminToken.path}`,
  ];
}

/** What `consume` reads, for its first line. */
function consumed(settings: App['settings']): string {
  const parts = [
    ...(settings.EVENT_ROUTER_BUS_URL !== undefined ? ['the event bus'] : []),
    ...(settings.EVENT_ROUTER_FOLLOW.length > 0 ? ['followed tracking logs'] : []),
  ];
  return parts.join(' and ');
}

/** Resolves once a SIGTERM or SIGINT has stopped the app. */
function waitForSignal(app: App): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.stderr.write(`${signal}: stopping\n`);
      app.stop().then(
        () => {
          process.stderr.write('stopped\n');
          resolve();
        },
        (error: unknown) => {
          process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
