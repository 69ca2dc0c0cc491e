/** A stream entry as Redis returns it; `fields` is null for a pending entry already trimmed away. */
export interface RawStreamEntry {
  entryId: string;
  /** Flat `[name, value, name, value, …]` as raw bytes. */
  fields: Buffer[] | null;
}

const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));

function parseEntries(list: unknown): RawStreamEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: RawStreamEntry[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || item.length < 1) continue;
    const [id, fields] = item as [unknown, unknown];
    entries.push({
      entryId: text(id),
      fields: Array.isArray(fields) ? fields.map((f) => (Buffer.isBuffer(f) ? f : Buffer.from(String(f)))) : null,
    });
  }
  return entries;
}

/** `XREADGROUP … STREAMS <one stream> <id>` reply: `[[stream, [[id, fields], …]]]` or null. */
export function parseReadGroupReply(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0] as unknown;
  if (!Array.isArray(first)) return [];
  return parseEntries(first[1]);
}

/**
 * `XAUTOCLAIM` reply: `[next cursor, entries, deleted ids]`. Redis 7 lists trimmed entries in the
 * third element (and drops them from the pending list); 6.2 returns them as entries without fields.
 */
export function parseAutoClaimReply(reply: unknown): { next: string; entries: RawStreamEntry[]; deleted: string[] } {
  if (!Array.isArray(reply)) return { next: '0-0', entries: [], deleted: [] };
  const [next, entries, deleted] = reply as [unknown, unknown, unknown];
  return {
    next: next === undefined || next === null ? '0-0' : text(next),
    entries: parseEntries(entries),
    deleted: Array.isArray(deleted) ? deleted.map(text) : [],
  };
}
