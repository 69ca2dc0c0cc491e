import type { AppendOutcome, EventInbox } from '../../pipeline/inbox.js';
import { parseIngestBody, type BodyError } from './parse-body.js';

/** What became of a `POST /events` body (plain data: it may come back from the pipeline thread). */
export interface StoredBody {
  /** Events in the body; stored only when `outcome.ok`. */
  events: number;
  /** The lines or items that are not events (all of them, in body order). */
  errors: BodyError[];
  /** The inbox's answer; null when the body held no event or the inbox failed. */
  outcome: AppendOutcome | null;
  /** Why the inbox could not store the events (nothing of them is stored). */
  failed?: string;
}

/**
 * Reads a body (parse-body.ts) and appends its events to the inbox, all or nothing; resolves
 * once they are committed. Runs where the inbox connection is: in the pipeline thread when
 * there is one, so that the JSON checks and the inbox writes leave the main thread's core.
 */
export async function storeIngestBody(text: string, inbox: Pick<EventInbox, 'append'>): Promise<StoredBody> {
  const parsed = parseIngestBody(text);
  if (parsed.events.length === 0) return { events: 0, errors: parsed.errors, outcome: null };
  try {
    const outcome = await inbox.append(parsed.events.map((body) => ({ body })));
    return { events: parsed.events.length, errors: parsed.errors, outcome };
  } catch (error) {
    return { events: parsed.events.length, errors: parsed.errors, outcome: null, failed: error instanceof Error ? error.message : String(error) };
  }
}
