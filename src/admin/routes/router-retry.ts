import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RouterStore } from '../../storage/router-store.js';
import type { ApiError } from '../errors.js';

export interface RouterRetryRouteDeps {
  readonly store: RouterStore;
  /** `DeliveryService.retryNow`: resolves with how many statements were waiting. */
  readonly retryNow: (routerId: string) => Promise<number>;
  readonly log: Logger;
}

/**
 * `POST /routers/:id/retry` (admin token): "retry now" for an LRS that is back. The router's
 * statements waiting for a later attempt (a backoff, a Retry-After) become due, and its worker
 * stops waiting (open circuit, Retry-After, 401 hold) and sends at once. Attempts already made
 * still count towards the retry budget. Answers `{"routerId", "madeDue"}`.
 */
export function registerRouterRetryRoute(api: FastifyInstance, deps: RouterRetryRouteDeps): void {
  api.post<{ Params: { id: string } }>('/routers/:id/retry', async (request, reply) => {
    const router = await deps.store.get(request.params.id);
    if (router === undefined) {
      const body: ApiError = { error: 'not_found', message: `no router with id ${request.params.id}` };
      return reply.code(404).send(body);
    }
    const madeDue = await deps.retryNow(router.id);
    deps.log.info({ routerId: router.id, waiting: madeDue }, 'router retried now');
    return { routerId: router.id, madeDue };
  });
}
