import type { JsonPayload } from '../queue/json-payload.js';

/**
 * Items of one batch that share an event id. The same statement enqueued twice (a replayed log,
 * a re-sent ingest request) is sent once and its repeats share its outcome: an LRS refuses a
 * batch with a repeated id (xAPI 1.0.3 Communication §2.1.2; Ralph answers 400). A *different*
 * statement with an id already in the batch (ERB's id recipe gives two `edx.video.played` of one
 * learner at one instant the same id) is not merged into the first: it is returned in
 * `conflicting`, and delivery dead-letters it with reason `conflict`.
 */
export function dedupeByEventId<T extends { id: string; eventId: string; payload: JsonPayload }>(
  items: readonly T[],
): { unique: T[]; repeatsOf: Map<string, T[]>; conflicting: T[] } {
  const firstByEvent = new Map<string, T>();
  const repeatsOf = new Map<string, T[]>();
  const unique: T[] = [];
  const conflicting: T[] = [];
  for (const item of items) {
    const first = firstByEvent.get(item.eventId);
    if (!first) {
      firstByEvent.set(item.eventId, item);
      unique.push(item);
      continue;
    }
    // A repeat is byte-identical: the same statement serialised the same way.
    if (item.payload.text !== first.payload.text) {
      conflicting.push(item);
      continue;
    }
    const repeats = repeatsOf.get(first.id) ?? [];
    repeats.push(item);
    repeatsOf.set(first.id, repeats);
  }
  return { unique, repeatsOf, conflicting };
}
