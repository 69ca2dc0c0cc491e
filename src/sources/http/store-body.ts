import type { AppendOutcome, EventInbox } from '../../queue/inbox/port.js';
import { parseIngestBody, type BodyError } from './parse-body.js';

/** What became of a `POST /events` body (plain data: it may come back from the pipeline thread). */
export interface StoredBody {
  /** Events in the body; stored only when `outcome.ok`. */
  events: number;
  /** The lines or items that are not events (all of them, in body order). */
  errors: BodyError[];
  /** The inbox's answer; null when the body held no event or the inbox failed. */
  outcome: AppendOutcome | null;
  /** Why the body could not be read or stored (nothing of it is stored). */
  failed?: string;
}

/**
 * Reads a body (parse-body.ts) and appends its events to the inbox, all or nothing; resolves
 * once they are committed. Runs where the inbox connection is: in the pipeline thread when
 * there is one, so that the JSON checks and the inbox writes leave the main thread's core.
 * Never rejects: whatever goes wrong is `failed` (the sender gets a 503 and sends again).
 */
export async function storeIngestBody(bytes: Uint8Array, inbox: Pick<EventInbox, 'append'>): Promise<StoredBody> {
  let parsed;
  try {
    parsed = parseIngestBody(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    return { events: 0, errors: [], outcome: null, failed: describe(error) };
  }
  if (parsed.events.length === 0) return { events: 0, errors: parsed.errors, outcome: null };
  try {
    const outcome = await inbox.append(parsed.events.map((body) => ({ body })));
    return { events: parsed.events.length, errors: parsed.errors, outcome };
  } catch (error) {
    return { events: parsed.events.length, errors: parsed.errors, outcome: null, failed: describe(error) };
  }
}

/** Bodies decoded and parsed at once; the others wait as bytes (already counted by the body budget). */
const DECODING_AT_ONCE = 2;

/**
 * `storeIngestBody` with at most two bodies decoded at a time. A body waiting here is its bytes
 * only; decoded, it is a string as large again plus the parsed lines. Without this bound, 64
 * bodies arriving together would all be decoded at once and memory would be several times the
 * body budget.
 */
export function createBodyStore(inbox: Pick<EventInbox, 'append'>): (bytes: Uint8Array) => Promise<StoredBody> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (bytes) => {
    if (running >= DECODING_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await storeIngestBody(bytes, inbox);
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
