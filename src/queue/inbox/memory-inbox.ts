import { DEFAULT_INBOX_MAX_DEPTH, InboxClosedError, type EventInbox, type InboxEntry, type InboxStats, type ReadPosition } from './port.js';

export interface MemoryInboxOptions {
  maxDepth?: number;
  now?: () => number;
}

interface Held {
  entry: InboxEntry;
  sourceId: string | undefined;
  /** Epoch ms the entry is due again after a deferral; 0 when fresh. */
  nextAttemptAt: number;
  taken: boolean;
}

/**
 * The inbox in this process's memory, gone with it: for tests and tools that need the inbox's
 * behaviour without a file. Behaves as the durable adapters do (test/conformance/inbox.suite.ts).
 */
export function createMemoryInbox(options: MemoryInboxOptions = {}): EventInbox {
  const now = options.now ?? Date.now;
  const maxDepth = options.maxDepth ?? DEFAULT_INBOX_MAX_DEPTH;
  // In acceptance order: a Map keeps insertion order, and seq only grows.
  const entries = new Map<number, Held>();
  const sourceIds = new Set<string>();
  const positions = new Map<string, ReadPosition>();
  let lastSeq = 0;
  let closed = false;

  const open = (): void => {
    if (closed) throw new InboxClosedError();
  };
  const remove = (seq: number): void => {
    const held = entries.get(seq);
    if (held === undefined) return;
    entries.delete(seq);
    if (held.sourceId !== undefined) sourceIds.delete(held.sourceId);
  };
  const stats = (): InboxStats => {
    open();
    let deferred = 0;
    let nextDueAt: number | null = null;
    for (const held of entries.values()) {
      if (held.nextAttemptAt === 0) continue;
      deferred++;
      if (nextDueAt === null || held.nextAttemptAt < nextDueAt) nextDueAt = held.nextAttemptAt;
    }
    const oldest = entries.values().next();
    return { depth: entries.size, deferred, oldestReceivedAt: oldest.done ? null : oldest.value.entry.receivedAt, nextDueAt };
  };

  return {
    async append(inputs, position) {
      open();
      if (inputs.length > 0 && entries.size + inputs.length > maxDepth) {
        return { ok: false, reason: 'queue_overflow', depth: entries.size, maxDepth };
      }
      const at = now();
      let added = 0;
      for (const input of inputs) {
        if (input.sourceId !== undefined) {
          if (sourceIds.has(input.sourceId)) continue;
          sourceIds.add(input.sourceId);
        }
        const seq = ++lastSeq;
        entries.set(seq, { entry: { seq, body: input.body, attempts: 0, receivedAt: at }, sourceId: input.sourceId, nextAttemptAt: 0, taken: false });
        added++;
      }
      if (position !== undefined) positions.set(position.path, { ...position });
      return { ok: true, added, duplicates: inputs.length - added };
    },
    async readPositions() {
      open();
      return [...positions.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    async take(limit) {
      open();
      const at = now();
      const taken: InboxEntry[] = [];
      for (const held of entries.values()) {
        if (taken.length >= limit) break;
        if (held.taken || held.nextAttemptAt > at) continue;
        held.taken = true;
        taken.push({ ...held.entry });
      }
      return taken;
    },
    async complete(completion) {
      open();
      for (const seq of completion.done) remove(seq);
      for (const d of completion.deferred) {
        const held = entries.get(d.seq);
        if (held === undefined) continue;
        held.entry.attempts++;
        held.nextAttemptAt = d.at;
        held.taken = false;
      }
    },
    async rewind() {
      for (const held of entries.values()) held.taken = false;
    },
    stats,
    async refreshStats() {
      return stats();
    },
    async close() {
      closed = true;
    },
  };
}
