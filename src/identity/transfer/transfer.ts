import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { ImportConflictPolicy, ImportCounts, LocalIdentityStore, StoredIdentity } from '../local-store-port.js';
import { createCsvRowParser, CSV_HEADER, csvLine } from './csv.js';
import type { RowOutcome, TransferFormat } from './identity-rows.js';
import { ndjsonLine, parseNdjsonLine } from './ndjson.js';

/** Writes every kept id to `out`; returns how many. Waits for `drain`, so memory stays flat. */
export async function exportIdentities(store: LocalIdentityStore, format: TransferFormat, out: Writable): Promise<number> {
  const write = (line: string): Promise<void> | void => {
    if (out.write(line + '\n')) return;
    return new Promise((resolve) => out.once('drain', resolve));
  };
  if (format === 'csv') await write(CSV_HEADER);
  let count = 0;
  for await (const row of store.list()) {
    await write(format === 'csv' ? csvLine(row) : ndjsonLine(row));
    count++;
  }
  return count;
}

/** Rows read from a file, or the lines that are wrong (nothing is imported then). */
export type ReadOutcome = { ok: true; rows: StoredIdentity[] } | { ok: false; errors: string[] };

const MAX_REPORTED_ERRORS = 20;

/** Reads and checks a whole export file; every problem is reported with its line number. */
export async function readIdentityFile(path: string, format: TransferFormat): Promise<ReadOutcome> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  const rows: StoredIdentity[] = [];
  const errors: string[] = [];
  let parse: ((line: string) => RowOutcome) | undefined = format === 'ndjson' ? parseNdjsonLine : undefined;
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    if (parse === undefined) {
      const parser = createCsvRowParser(line);
      if (typeof parser !== 'function') return { ok: false, errors: [`${path}:${number}: ${parser.error}`] };
      parse = parser;
      continue;
    }
    const outcome = parse(line);
    if (outcome.ok) rows.push(outcome.row);
    else if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${path}:${number}: ${outcome.message}`);
    else if (errors.length === MAX_REPORTED_ERRORS) errors.push('… (further errors not shown)');
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

/** Imports checked rows in one go. */
export function importIdentities(store: LocalIdentityStore, rows: readonly StoredIdentity[], onConflict: ImportConflictPolicy): Promise<ImportCounts> {
  return store.importRows(rows, onConflict);
}
