/**
 * Items of one batch that share an event id: the same statement enqueued twice (a replayed
 * log, a re-sent ingest request). An LRS refuses a batch with a repeated id (xAPI 1.0.3
 * Communication §2.1.2), so each id is sent once and its repeats share its outcome.
 */
export function dedupeByEventId<T extends { id: string; eventId: string }>(
  items: readonly T[],
): { unique: T[]; repeatsOf: Map<string, T[]> } {
  const firstByEvent = new Map<string, T>();
  const repeatsOf = new Map<string, T[]>();
  const unique: T[] = [];
  for (const item of items) {
    const first = firstByEvent.get(item.eventId);
    if (!first) {
      firstByEvent.set(item.eventId, item);
      unique.push(item);
      continue;
    }
    const repeats = repeatsOf.get(first.id) ?? [];
    repeats.push(item);
    repeatsOf.set(first.id, repeats);
  }
  return { unique, repeatsOf };
}
