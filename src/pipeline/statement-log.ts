import { closeSync, openSync, writeSync } from 'node:fs';
import { PRIVATE_FILE_MODE, tightenFile } from '../storage/private-files.js';
import type { OutputFormat, TransformedRecord } from '../transforms/transform-event.js';
import { erbXapiLogLine } from '../transforms/xapi/erb-log-format.js';
import type { Statement } from '../transforms/xapi/statement.js';

/**
 * ERB's `xapi_tracking` and `caliper_tracking` loggers (erb-reference.md §10): every statement
 * (xAPI) or un-enveloped event (Caliper) as one JSON line, as transformed — before match_params
 * and override_args, whether or not a router takes it. With `compat: 'erb'` xAPI lines are
 * written as ERB logs them (Python json.dumps of the tincan statement).
 */
export interface StatementLog {
  /** Whether this backend's stream is on. */
  enabled(format: OutputFormat): boolean;
  /** Buffers the lines of one record. */
  add(format: OutputFormat, record: TransformedRecord): void;
  /** Writes what was buffered (one write per stream), returns the number of lines written per stream. */
  flush(): Partial<Record<OutputFormat, number>>;
  close(): void;
}

export interface StatementLogOptions {
  /** `stdout`, `stderr` or a file path per stream; a stream absent here is off. */
  destinations: Partial<Record<OutputFormat, string>>;
  compat: 'valid' | 'erb';
  /** `json`: the JSON alone on each line; `erb`: behind ERB's Django logging prefix. Default `json`. */
  lineForm?: StatementLineForm;
  /** The clock for the `erb` prefix's time (tests); default `Date.now`. */
  now?: () => number;
}

export type StatementLineForm = 'json' | 'erb';

interface Stream {
  fd: number;
  owned: boolean;
  lines: string[];
}

export function createStatementLog(options: StatementLogOptions): StatementLog {
  const streams = new Map<OutputFormat, Stream>();
  const byTarget = new Map<string, Stream>();
  for (const [format, target] of Object.entries(options.destinations) as Array<[OutputFormat, string]>) {
    // Both streams to the same target share one descriptor, so their lines never interleave mid-line.
    let stream = byTarget.get(target);
    if (stream === undefined) {
      stream = openTarget(target);
      byTarget.set(target, stream);
    }
    streams.set(format, stream);
  }
  const pending: Partial<Record<OutputFormat, number>> = {};
  const render = (format: OutputFormat, record: TransformedRecord): string =>
    options.compat === 'erb' && format === 'xapi' ? erbXapiLogLine(record as Statement) : JSON.stringify(record);
  const now = options.now ?? Date.now;
  // In the `erb` form, one time per batch of lines (taken at its first line): a batch is
  // transformed within milliseconds, and a clock read per statement would cost more than the line.
  let batchPrefixes: Record<OutputFormat, string> | undefined;
  const prefixed = (format: OutputFormat, line: string): string => {
    if (options.lineForm !== 'erb') return line;
    if (batchPrefixes === undefined) {
      const time = now();
      batchPrefixes = { xapi: erbLogPrefix('xapi', time), caliper: erbLogPrefix('caliper', time) };
    }
    return batchPrefixes[format] + line;
  };

  return {
    enabled: (format) => streams.has(format),
    add(format, record) {
      const stream = streams.get(format);
      if (stream === undefined) return;
      stream.lines.push(prefixed(format, render(format, record)));
      pending[format] = (pending[format] ?? 0) + 1;
    },
    flush() {
      const written = { ...pending };
      for (const format of Object.keys(pending) as OutputFormat[]) delete pending[format];
      for (const stream of byTarget.values()) {
        if (stream.lines.length === 0) continue;
        if (stream.owned) writeAll(stream.fd, `${stream.lines.join('\n')}\n`);
        else for (const chunk of atomicChunks(stream.lines)) writeAll(stream.fd, chunk);
        stream.lines = [];
      }
      batchPrefixes = undefined;
      return written;
    },
    close() {
      for (const stream of byTarget.values()) if (stream.owned) closeSync(stream.fd);
      byTarget.clear();
      streams.clear();
    },
  };
}

/**
 * The prefix ERB's lines carry in an LMS log: edx-platform's `standard` logging format,
 * `%(asctime)s %(levelname)s %(process)d [%(name)s] [user %(userid)s] [ip %(remote_ip)s]
 * %(filename)s:%(lineno)d - %(message)s`, with the file and line of ERB's logging call. Log
 * readers built for ERB (Aspects' Vector: `^.* \[xapi_tracking\] [^{}]* (\{.*\})$`) rely on it.
 * The time is UTC, as in the LMS containers.
 */
export function erbLogPrefix(format: OutputFormat, epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-01-05T10:00:00.123Z
  const asctime = `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
  return `${asctime} INFO ${process.pid} ${ERB_LOGGING_CALLS[format]} - `;
}

/** Logger, user, address and the source line of ERB's logging call for each stream. */
const ERB_LOGGING_CALLS: Record<OutputFormat, string> = {
  xapi: '[xapi_tracking] [user None] [ip None] transformer_processor.py:61',
  caliper: '[caliper_tracking] [user None] [ip None] transformer_processor.py:51',
};

function openTarget(target: string): Stream {
  if (target === 'stdout') return { fd: 1, owned: false, lines: [] };
  if (target === 'stderr') return { fd: 2, owned: false, lines: [] };
  const fd = openSync(target, 'a', PRIVATE_FILE_MODE);
  // A log an older version created 0640 holds the same statements.
  tightenFile(target);
  return { fd, owned: true, lines: [] };
}

/**
 * stdout/stderr are shared with the service log (another thread writes there too). A write of
 * at most PIPE_BUF (4096) bytes to a pipe is atomic, so lines are grouped into chunks up to that
 * size: a line of the statement log and a line of the service log never interleave mid-line
 * (a single line longer than that is written alone).
 */
export function atomicChunks(lines: readonly string[], limit = 4096): string[] {
  const chunks: string[] = [];
  let current = '';
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > 0 && bytes + size > limit) {
      chunks.push(current);
      current = '';
      bytes = 0;
    }
    current += `${line}\n`;
    bytes += size;
  }
  if (bytes > 0) chunks.push(current);
  return chunks;
}

/** writeSync may write part of a large buffer to a pipe; loop until all of it is out. */
function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      const n = writeSync(fd, buffer);
      buffer = buffer.subarray(n);
    } catch (error) {
      // A non-blocking pipe that is full: wait a little and go on (the log must not lose lines).
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
