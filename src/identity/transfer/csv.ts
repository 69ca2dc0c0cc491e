import type { StoredIdentity } from '../local-store-port.js';
import { TRANSFER_FIELDS, toStoredIdentity, type RowOutcome } from './identity-rows.js';

/** The header line of an export. */
export const CSV_HEADER = TRANSFER_FIELDS.join(',');

/** One CSV line (RFC 4180: fields with `,` `"` or line breaks are quoted, `"` doubled). */
export function csvLine(row: StoredIdentity): string {
  return [row.userId === undefined ? '' : String(row.userId), row.username ?? '', row.kind, row.anonymousId].map(csvField).join(',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Splits one CSV line into fields; undefined when a quote is left open. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/**
 * Parses CSV lines after the header. The header names the columns (any order, as exported:
 * `user_id,username,kind,anonymous_id`); blank lines are skipped.
 */
export function createCsvRowParser(header: string): ((line: string) => RowOutcome) | { error: string } {
  const columns = splitCsvLine(header.replace(/^\uFEFF/, '').trim())?.map((c) => c.trim().toLowerCase());
  const missing = TRANSFER_FIELDS.filter((f) => !columns?.includes(f));
  if (columns === undefined || missing.length > 0) {
    return { error: `the CSV header must name ${TRANSFER_FIELDS.join(', ')} (missing: ${missing.join(', ')})` };
  }
  return (line) => {
    const fields = splitCsvLine(line);
    if (fields === undefined) return { ok: false, message: 'unterminated quoted field' };
    if (fields.length !== columns.length) return { ok: false, message: `expected ${columns.length} fields, found ${fields.length}` };
    const value = (name: string): string => (fields[columns.indexOf(name)] as string).trim();
    return toStoredIdentity({
      user_id: value('user_id'),
      username: fields[columns.indexOf('username')],
      kind: value('kind'),
      anonymous_id: value('anonymous_id'),
    });
  };
}
