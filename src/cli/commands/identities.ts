import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { formatIssue } from '../../config/issues.js';
import { loadSettings } from '../../config/load.js';
import type { ImportConflictPolicy, LocalIdentityStore } from '../../identity/local-store-port.js';
import { formatFromName, type TransferFormat } from '../../identity/transfer/identity-rows.js';
import { exportIdentities, importIdentities, readIdentityFile } from '../../identity/transfer/transfer.js';
import { openControlPlaneDatabase } from '../../storage/database.js';
import { openLocalIdentityStore } from '../../identity/open-local-identity-store.js';
import { CliError } from '../../core/cli-error.js';

interface StoreOptions {
  config?: string;
  dataDir?: string;
}

/** Opens the local identity store of the configured data directory (creating and migrating it if new). */
export type StoreOpener = (options: StoreOptions) => Promise<LocalIdentityStore>;

const openConfiguredStore: StoreOpener = async (options) => {
  const loaded = loadSettings({
    ...(options.config !== undefined ? { configFile: options.config } : {}),
    ...(options.dataDir !== undefined ? { flags: { EVENT_ROUTER_DATA_DIR: options.dataDir } } : {}),
  });
  if (!loaded.ok) throw new CliError(loaded.errors.map(formatIssue).join('; '));
  const dataDir = loaded.settings.EVENT_ROUTER_DATA_DIR;
  const databaseUrl = loaded.settings.DATABASE_URL;
  // Creates the data directory (or the PostgreSQL tables) and the identities table on a deployment that never ran.
  const database = await openControlPlaneDatabase({ dataDir, secretKey: loaded.settings.EVENT_ROUTER_SECRET_KEY, databaseUrl });
  await database.close();
  return openLocalIdentityStore({ dataDir, databaseUrl });
};

/**
 * `edx-event-router identities export|import`: moves the ids the router keeps itself (minted or
 * imported; user id, username, kind, anonymous id) between deployments, as CSV or NDJSON.
 */
export function registerIdentitiesCommands(program: Command, openStore: StoreOpener = openConfiguredStore): void {
  const identities = program.command('identities').description('export or import the anonymous ids kept in the local identity store');
  const storeOptions = (command: Command): Command =>
    command
      .option('--config <file>', 'settings file (YAML or JSON); else EVENT_ROUTER_CONFIG')
      .option('--data-dir <dir>', 'data directory holding the database (EVENT_ROUTER_DATA_DIR)');

  storeOptions(
    identities
      .command('export')
      .description('write every kept id (user_id, username, kind, anonymous_id), to stdout unless --output')
      .addOption(new Option('--format <format>', 'file format (default: from --output, else csv)').choices(['csv', 'ndjson']))
      .option('--output <file>', 'write to this file instead of stdout'),
  ).action(async (options: StoreOptions & { format?: TransferFormat; output?: string }) => {
    const format = options.format ?? (options.output !== undefined ? formatFromName(options.output) : undefined) ?? 'csv';
    const store = await openStore(options);
    try {
      const out = options.output !== undefined ? createWriteStream(options.output) : process.stdout;
      const count = await exportIdentities(store, format, out);
      if (out !== process.stdout) {
        out.end();
        await finished(out);
      }
      process.stderr.write(`exported ${count} ids\n`);
    } finally {
      await store.close();
    }
  });

  storeOptions(
    identities
      .command('import')
      .description('add the ids of an export file to the local store; the whole file is checked first')
      .argument('<file>', 'a file written by `identities export`')
      .addOption(new Option('--format <format>', 'file format (default: from the file name)').choices(['csv', 'ndjson']))
      .addOption(
        new Option('--on-conflict <policy>', 'a user and kind that already has another id: keep it (skip) or replace it')
          .choices(['skip', 'replace'])
          .default('skip'),
      )
      .option('--dry-run', 'check the file and report, change nothing'),
  ).action(async (file: string, options: StoreOptions & { format?: TransferFormat; onConflict: ImportConflictPolicy; dryRun?: boolean }) => {
    const format = options.format ?? formatFromName(file);
    if (format === undefined) throw new CliError(`cannot tell the format of ${file}: name it .csv or .ndjson, or pass --format`);
    try {
      await access(file);
    } catch {
      throw new CliError(`cannot read ${file}`);
    }
    const read = await readIdentityFile(file, format);
    if (!read.ok) {
      for (const error of read.errors) process.stderr.write(`${error}\n`);
      process.exitCode = 1;
      return;
    }
    if (options.dryRun) {
      process.stdout.write(`${read.rows.length} ids are valid; nothing imported (--dry-run)\n`);
      return;
    }
    const store = await openStore(options);
    try {
      const counts = await importIdentities(store, read.rows, options.onConflict);
      const verb = options.onConflict === 'replace' ? 'replaced' : 'kept the existing id';
      process.stdout.write(`imported ${counts.inserted} ids, ${counts.unchanged} already present, ${counts.conflicts} conflicts (${verb})\n`);
    } finally {
      await store.close();
    }
  });
}
