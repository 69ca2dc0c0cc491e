import { createWriteStream, type WriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { parseEventLine } from '../../sources/tracking-log/line-parser.js';
import { openTextFile, readLines } from '../../sources/tracking-log/line-reader.js';
import { envelope } from '../../transforms/caliper/envelope.js';
import type { CaliperEvent } from '../../transforms/caliper/caliper-event.js';
import { EMPTY_LOOKUPS, type Lookups } from '../../transforms/shared/lookups.js';
import { loadStaticLookups } from '../../transforms/shared/static-lookups.js';
import type { CompatMode, IfiType, TransformContext } from '../../transforms/shared/transform-settings.js';
import { OUTPUT_FORMATS, transformEvent, type OutputFormat } from '../../transforms/transform-event.js';
import { erbXapiLogLine } from '../../transforms/xapi/erb-log-format.js';
import type { Statement } from '../../transforms/xapi/statement.js';
import { TransformSummary } from '../transform-summary.js';
import { CliError, defaultTransformerVersion, writeLine } from '../cli-support.js';

interface TransformOptions {
  format: OutputFormat;
  lookups?: string;
  lmsUrl: string;
  transformerVersion?: string;
  compat?: string;
  ifiType: IfiType;
  errors?: string;
  envelope?: boolean;
  sensor?: string;
}

/** `edx-event-router transform`: events in (files or stdin), NDJSON statements out. */
export function registerTransformCommand(program: Command): void {
  program
    .command('transform')
    .description('transform Open edX events (JSON, NDJSON or tracking.log lines; .gz read transparently) into xAPI statements or Caliper events, one per line on stdout')
    .argument('[files...]', 'input files; stdin when none')
    .addOption(new Option('--format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('xapi'))
    .option('--lookups <file>', 'static identity and course-name lookups (JSON)')
    .option('--lms-url <url>', 'LMS root URL, prefix of every IRI', 'http://localhost:18000')
    .option('--transformer-version <text>', 'transformer version written into each statement (default: edx-event-router@<version>)')
    .addOption(new Option('--compat <mode>', "'erb': reproduce ERB's output exactly, invalid forms included").choices(['erb', 'valid']))
    .addOption(new Option('--ifi-type <type>', 'actor identifier (XAPI_AGENT_IFI_TYPE)').choices(['external_id', 'mbox', 'mbox_sha1sum']).default('external_id'))
    .option('--errors <file>', 'write one NDJSON record {file, line, reason, name} per input line not transformed')
    .option('--envelope', 'with --format caliper: write one Caliper envelope per input event instead of bare events')
    .option('--sensor <id>', 'with --envelope: the envelope sensor (default: the LMS URL)')
    .action(async (files: string[], options: TransformOptions) => {
      process.exitCode = await runTransform(files, options);
    });
}

async function runTransform(files: string[], options: TransformOptions): Promise<number> {
  const lmsUrl = options.lmsUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(lmsUrl)) throw new CliError(`--lms-url must be an http(s) URL, got "${options.lmsUrl}"`);
  if (options.envelope && options.format !== 'caliper') throw new CliError('--envelope goes with --format caliper');
  for (const file of files) {
    try {
      await access(file);
    } catch {
      throw new CliError(`cannot read ${file}`);
    }
  }
  let lookups: Lookups = EMPTY_LOOKUPS;
  if (options.lookups !== undefined) {
    try {
      lookups = loadStaticLookups(options.lookups);
    } catch (error) {
      throw new CliError((error as Error).message.split('\n').join('; '));
    }
  }
  const ctx: TransformContext = {
    lmsUrl,
    transformerVersion: options.transformerVersion ?? defaultTransformerVersion(),
    ifiType: options.ifiType,
    compat: (options.compat ?? 'valid') as CompatMode,
    lookups,
  };
  const errorsOut: WriteStream | undefined = options.errors !== undefined ? createWriteStream(options.errors) : undefined;
  const summary = new TransformSummary();
  const sensor = options.sensor ?? lmsUrl;
  const render = (record: Statement | CaliperEvent): string =>
    ctx.compat === 'erb' && options.format === 'xapi' ? erbXapiLogLine(record as Statement) : JSON.stringify(record);

  const sources: Array<{ name: string; open: () => Promise<NodeJS.ReadableStream> }> =
    files.length === 0
      ? [{ name: '-', open: async () => process.stdin }]
      : files.map((file) => ({ name: file, open: () => openTextFile(file) }));

  const report = async (record: { file: string; line: number; reason: string; name?: string; message: string }): Promise<void> => {
    if (errorsOut !== undefined) await writeLine(errorsOut, JSON.stringify(record));
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
  if (errorsOut !== undefined) await new Promise<void>((resolve) => errorsOut.end(resolve));
  process.stderr.write(summary.render(options.format === 'xapi' ? 'statements' : 'Caliper events'));
  return failedSources > 0 ? 1 : 0;
}

export type { Writable };
