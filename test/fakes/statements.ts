import { randomUUID } from 'node:crypto';
import type { NewQueueItem } from '../../src/queue/port.js';
import { JsonPayload } from '../../src/queue/json-payload.js';

/** A small valid-looking xAPI statement; `n` makes it recognisable in assertions. */
export function statement(n: number, extra: Record<string, unknown> = {}): { id: string } & Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'http://lms.example', name: `learner-${n}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'en-US': 'launched' } },
    object: { objectType: 'Activity', id: `http://lms.example/xblock/${n}` },
    timestamp: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** Outbox items carrying `statement(n)` for a router. */
export function statementItems(routerId: string, count: number, from = 1): NewQueueItem[] {
  return Array.from({ length: count }, (_, i) => {
    const payload = statement(from + i);
    return { routerId, eventId: payload.id, eventName: 'edx.ui.lms.link_clicked', payload: JsonPayload.of(payload) };
  });
}
