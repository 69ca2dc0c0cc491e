import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { writeLine } from '../../core/write-line.js';

/** One input line (or source) that produced nothing: the `--errors` NDJSON record. */
export interface LineErrorRecord {
  /** The source: a path or `s3://bucket/key`. */
  file: string;
  /** 1-based line number; for an unreadable source, the first line not read. */
  line: number;
  /** A skip reason (`unparsable_line`, `unsupported_event`, …) or `unreadable_source`. */
  reason: string;
  /** The event name, when the line had one. */
  name?: string;
  message: string;
}

/** Where `--errors` records go; a no-op without a file. */
export interface ErrorsLog {
  write(record: LineErrorRecord): Promise<void> | void;
  close(): Promise<void>;
}

const NO_ERRORS_LOG: ErrorsLog = { write: () => {}, close: async () => {} };

/** Opens (truncating) the `--errors` file, or returns a log that drops everything. */
export function openErrorsLog(path: string | undefined): ErrorsLog {
  if (path === undefined) return NO_ERRORS_LOG;
  const out: Writable = createWriteStream(path);
  return {
    write: (record) => writeLine(out, JSON.stringify(record)),
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}
