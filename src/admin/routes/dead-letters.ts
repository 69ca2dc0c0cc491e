import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DeadLetter, DeadLetterSelector, DeadLetterStore, QueueStats } from '../../queue/port.js';

export interface DeadLettersRouteDeps {
  readonly deadLetters: DeadLetterStore;
  readonly queueStats: () => Promise<QueueStats>;
  /** Wakes delivery after a retry put items back in the outbox. */
  readonly onRequeued: () => void;
  readonly log: Logger;
}

/** A dead letter as the admin API and the CLI show it (times as ISO text). */
export interface DeadLetterView {
  id: string;
  routerId: string;
  /** The id of the xAPI statement (or Caliper event) that was refused. */
  statementId: string;
  eventName: string | null;
  reason: string;
  response: DeadLetter['response'];
  attempts: number;
  lastError: string | null;
  businessCritical: boolean;
  enqueuedAt: string;
  deadAt: string;
  payload: unknown;
}

export function toDeadLetterView(letter: DeadLetter): DeadLetterView {
  return {
    id: letter.id,
    routerId: letter.routerId,
    statementId: letter.eventId,
    eventName: letter.eventName,
    reason: letter.reason,
    response: letter.response,
    attempts: letter.attempts,
    lastError: letter.lastError,
    businessCritical: letter.businessCritical,
    enqueuedAt: new Date(letter.enqueuedAt).toISOString(),
    deadAt: new Date(letter.deadAt).toISOString(),
    payload: letter.payload.value(),
  };
}

export type SelectorOutcome = { ok: true; selector: DeadLetterSelector; all: boolean } | { ok: false; message: string };

/**
 * Which dead letters a retry or purge applies to: `routerId`, `ids` (list of strings) and
 * `before` (ISO date-time or epoch ms). Nothing given selects nothing unless `all` is true, so
 * that an empty body cannot purge everything by accident.
 */
export function parseSelector(input: { routerId?: unknown; ids?: unknown; before?: unknown; all?: unknown }): SelectorOutcome {
  const selector: DeadLetterSelector = {};
  if (input.routerId !== undefined) {
    if (typeof input.routerId !== 'string' || input.routerId === '') return { ok: false, message: 'routerId must be a non-empty string' };
    selector.routerId = input.routerId;
  }
  if (input.ids !== undefined) {
    if (!Array.isArray(input.ids) || !input.ids.every((id) => typeof id === 'string' || typeof id === 'number')) {
      return { ok: false, message: 'ids must be a list of dead-letter ids' };
    }
    selector.ids = input.ids.map(String);
  }
  if (input.before !== undefined) {
    const at = typeof input.before === 'number' ? input.before : typeof input.before === 'string' ? Date.parse(input.before) : Number.NaN;
    if (!Number.isFinite(at)) return { ok: false, message: 'before must be an ISO date-time or epoch milliseconds' };
    selector.before = at;
  }
  const all = input.all === true;
  if (!all && selector.routerId === undefined && selector.ids === undefined && selector.before === undefined) {
    return { ok: false, message: 'select dead letters with "routerId", "ids" or "before", or send {"all": true}' };
  }
  return { ok: true, selector, all };
}

type ListQuery = { Querystring: { router?: string; limit?: string; after?: string } };

/**
 * `/api/dead-letters` (admin token): list, retry (back to the end of the outbox with fresh retry
 * metadata) and purge; `/api/queue`: outbox depth, age and dead letters per router.
 */
export function registerDeadLettersRoutes(api: FastifyInstance, deps: DeadLettersRouteDeps): void {
  api.get('/queue', async () => deps.queueStats());

  api.get<ListQuery>('/dead-letters', async (request, reply) => {
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      return reply.code(400).send({ error: 'invalid_request', message: 'limit must be an integer from 1 to 10000' });
    }
    const letters = await deps.deadLetters.list({
      limit,
      ...(request.query.router !== undefined ? { routerId: request.query.router } : {}),
      ...(request.query.after !== undefined ? { afterId: request.query.after } : {}),
    });
    // `eventId` repeats `statementId` under its first name, for scripts written against it.
    const views = letters.map((letter) => ({ ...toDeadLetterView(letter), eventId: letter.eventId }));
    return { deadLetters: views, next: views.length === limit ? views.at(-1)?.id : null };
  });

  api.post('/dead-letters/retry', async (request, reply) => {
    const parsed = parseSelector(bodyObject(request.body));
    if (!parsed.ok) return reply.code(400).send({ error: 'invalid_request', message: parsed.message });
    const outcome = await deps.deadLetters.retry(parsed.selector);
    if (!outcome.ok) {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'queue_overflow', message: `the outbox is full (${outcome.depth} of ${outcome.maxDepth}); nothing was moved` });
    }
    deps.log.info({ moved: outcome.moved, selector: parsed.selector }, 'dead letters put back in the outbox');
    if (outcome.moved > 0) deps.onRequeued();
    return { moved: outcome.moved };
  });

  api.post('/dead-letters/purge', async (request, reply) => {
    const parsed = parseSelector(bodyObject(request.body));
    if (!parsed.ok) return reply.code(400).send({ error: 'invalid_request', message: parsed.message });
    const purged = await deps.deadLetters.purge(parsed.selector);
    deps.log.info({ purged, selector: parsed.selector }, 'dead letters purged');
    return { purged };
  });
}

function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
