import type { BusDeadLetterStore } from './port.js';

/** What an engine does for the store: one row in, the count out, its connection closed. */
export interface DeadLetterTable {
  /**
   * Values in the order of `bus_dead_letters (source_id, reason, message, fields, bytes, dead_at)`.
   * Returns what the engine returns (a run result, or a promise of one): it is awaited, not read.
   */
  insert(values: [string, string, string, string, Buffer, number]): unknown;
  count(): Promise<number> | number;
  close(): Promise<void> | void;
}

/** The store both engines share: the row's shape, and no use after close. */
export function guardedDeadLetterStore(table: DeadLetterTable, now: () => number): BusDeadLetterStore {
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('bus dead-letter store is closed');
  };
  return {
    async add(entry) {
      open();
      await table.insert([entry.sourceId, entry.reason, entry.message, JSON.stringify(entry.fields), entry.bytes, now()]);
    },
    async count() {
      open();
      return table.count();
    },
    async close() {
      if (closed) return;
      closed = true;
      await table.close();
    },
  };
}

export const INSERT_COLUMNS = 'bus_dead_letters (source_id, reason, message, fields, bytes, dead_at)';
