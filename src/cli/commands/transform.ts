import { access } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { addTransformFlags, buildTransformContext, checkedLmsUrl, contextSettingsFrom, type TransformFlags } from '../../replay/transform-flags.js';
import { openErrorsLog, type LineErrorRecord } from '../../sources/tracking-log/errors-log.js';
import { parseEventLine } from '../../sources/tracking-log/line-parser.js';
import { openTextFile, readLines } from '../../sources/tracking-log/line-reader.js';
import { envelope } from '../../transforms/caliper/envelope.js';
import type { CaliperEvent } from '../../transforms/caliper/caliper-event.js';
import type { TransformContext } from '../../transforms/shared/transform-settings.js';
import { mintingLookups } from '../../transforms/shared/minting-lookups.js';
import { transformEvent } from '../../transforms/transform-event.js';
import { erbXapiLogLine } from '../../transforms/xapi/erb-log-format.js';
import type { Statement } from '../../transforms/xapi/statement.js';
import { TransformSummary } from '../../transforms/transform-summary.js';
import { CliError } from '../../core/cli-error.js';
import { writeLine } from '../../core/write-line.js';

interface TransformOptions extends TransformFlags {
  errors?: string;
  mintIds?: boolean;
  envelope?: boolean;
  sensor?: string;
}

/** `edx-event-router transform`: events in (files or stdin), NDJSON statements out. */
export function registerTransformCommand(program: Command): void {
  const command = program
    .command('transform')
    .description(
      'transform Open edX events (JSON, NDJSON or tracking.log lines; .gz read transparently) into xAPI statements or Caliper events, one per line on stdout',
    )
    .argument('[files...]', 'input files (- for standard input); standard input when none')
    .addHelpText(
      'after',
      `
Learners: a learner whose anonymous id is not in --lookups is skipped as unknown_user (ERB's
behaviour). \`serve\` instead mints an id for such a learner and keeps it (its default
EVENT_ROUTER_MISSING_ID_POLICY=mint); --mint-ids does the same for one run, without keeping them.`,
    );
  addTransformFlags(command)
    .option(
      '--mint-ids',
      'give a learner with no id in --lookups a new random id for this run, as serve does (EVENT_ROUTER_MISSING_ID_POLICY=mint), instead of skipping the event as unknown_user',
    )
    .option('--errors <file>', 'write one NDJSON record {file, line, reason, name, message} per input line not transformed')
    .option('--envelope', 'with --format caliper: write one Caliper envelope per input event instead of bare events')
    .option('--sensor <id>', 'with --envelope: the envelope sensor (default: the LMS URL)')
    .action(async (files: string[], options: TransformOptions) => {
      process.exitCode = await runTransform(files, options);
    });
}

/** The file name that stands for standard input, as in UNIX tools. */
const STDIN = '-';

async function runTransform(files: string[], options: TransformOptions): Promise<number> {
  const lmsUrl = checkedLmsUrl(options.lmsUrl);
  if (options.envelope && options.format !== 'caliper') throw new CliError('--envelope goes with --format caliper');
  if (options.sensor !== undefined && !options.envelope) throw new CliError('--sensor goes with --envelope');
  if (files.filter((file) => file === STDIN).length > 1) throw new CliError('- (standard input) can be read only once');
  for (const file of files) {
    if (file === STDIN) continue;
    try {
      await access(file);
    } catch {
      throw new CliError(`cannot read ${file}`);
    }
  }
  const built: TransformContext = await buildTransformContext(contextSettingsFrom(options));
  const ctx: TransformContext = options.mintIds ? { ...built, lookups: mintingLookups(built.lookups) } : built;
  const errorsOut = openErrorsLog(options.errors);
  const summary = new TransformSummary();
  const sensor = options.sensor ?? lmsUrl;
  const render = (record: Statement | CaliperEvent): string =>
    ctx.compat === 'erb' && options.format === 'xapi' ? erbXapiLogLine(record as Statement) : JSON.stringify(record);

  const sources: Array<{ name: string; open: () => Promise<NodeJS.ReadableStream> }> =
    files.length === 0
      ? [{ name: STDIN, open: async () => process.stdin }]
      : files.map((file) => ({ name: file, open: () => (file === STDIN ? Promise.resolve(process.stdin) : openTextFile(file)) }));

  const report = async (record: LineErrorRecord): Promise<void> => {
    await errorsOut.write(record);
  };

  let failedSources = 0;
  for (const source of sources) {
    let lastLine = 0;
    try {
      const input = await source.open();
      for await (const { line, lineNumber } of readLines(input as never)) {
        lastLine = lineNumber;
        const parsed = parseEventLine(line);
        if (parsed.kind === 'blank') continue;
        summary.linesRead += 1;
        if (parsed.kind === 'error') {
          summary.skip(parsed.reason);
          await report({ file: source.name, line: lineNumber, reason: parsed.reason, ...(parsed.name ? { name: parsed.name } : {}), message: parsed.message });
          continue;
        }
        const outcome = transformEvent(options.format, parsed.event, ctx);
        if (!outcome.ok) {
          summary.skip(outcome.reason);
          await report({ file: source.name, line: lineNumber, reason: outcome.reason, name: parsed.event.name, message: outcome.message });
          continue;
        }
        summary.eventsTransformed += 1;
        for (const note of outcome.notes) summary.note(note);
        if (options.envelope) {
          await writeLine(process.stdout, JSON.stringify(envelope(outcome.statements as CaliperEvent[], sensor, new Date())));
        } else {
          for (const record of outcome.statements) await writeLine(process.stdout, render(record));
        }
        summary.recordsWritten += outcome.statements.length;
      }
    } catch (error) {
      // A broken source (truncated gzip, read error) is reported; the other sources go on.
      failedSources += 1;
      process.stderr.write(`edx-event-router: ${source.name}: stopped after line ${lastLine}: ${(error as Error).message}\n`);
      await report({ file: source.name, line: lastLine + 1, reason: 'unreadable_source', message: (error as Error).message });
    }
  }
  await errorsOut.close();
  process.stderr.write(summary.render(options.format === 'xapi' ? 'statements' : 'Caliper events'));
  const unknownUsers = summary.skipped.get('unknown_user') ?? 0;
  if (unknownUsers > 0 && !options.mintIds) process.stderr.write(unknownUserHint(unknownUsers, options.lookups !== undefined));
  return failedSources > 0 ? 1 : 0;
}

/**
 * Where `transform` and `serve` differ by default: the service mints an id for an unknown learner,
 * a one-off run skips the event as ERB does. Said after the summary, so that nobody takes the
 * skipped events for a fault of the events.
 */
export function unknownUserHint(count: number, lookupsGiven: boolean): string {
  const source = lookupsGiven ? 'not in --lookups' : 'no --lookups given';
  return (
    `note: ${count} event(s) skipped as unknown_user (${source}). serve would send them: it mints an id for an unknown learner ` +
    "(EVENT_ROUTER_MISSING_ID_POLICY=mint, its default). Add the learners to --lookups, or pass --mint-ids for the service's behaviour.\n"
  );
}

export type { Writable };
