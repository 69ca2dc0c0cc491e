import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DestinationPolicy } from '../routers/destination-policy.js';
import type { RemoveRouter } from '../queue/remove-router.js';
import type { RouterStore } from '../storage/router-store.js';
import { createThrottledTokenCheck } from '../http/token-check.js';
import type { FailureThrottle } from '../http/failure-throttle.js';
import { invalid, type ApiError } from './errors.js';
import { registerRoutersRoutes } from './routes/routers.js';

export interface AdminApiDeps {
  readonly routers: RouterStore;
  /** Deletes a router with its queued statements and dead letters (queue/remove-router.ts). */
  readonly removeRouter: RemoveRouter;
  /** Required as `Authorization: Bearer <token>` on every `/api` request. */
  readonly adminToken: string;
  /** Wrong tokens per client address (admin/auth.ts). */
  readonly throttle: FailureThrottle;
  /** EVENT_ROUTER_ALLOWED_ORIGINS: a request from a web page of another origin is refused (admin/access-checks.ts). */
  readonly originAllowed: (origin: string | string[] | undefined) => boolean;
  readonly log: Logger;
  /** More `/api` routes behind the same token and error mapping (dead letters, queue stats, …). */
  readonly routes?: ReadonlyArray<(api: FastifyInstance) => void>;
  /** Where routers may send (settings); the defaults of the settings when absent. */
  readonly destinations?: DestinationPolicy;
}

/**
 * The admin API under `/api` (token-protected) plus an open `/healthz`. Registered on the
 * app's fastify instance so ingest routes can live beside it.
 */
export async function registerAdminApi(app: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const checkToken = createThrottledTokenCheck(deps.adminToken, deps.throttle);

  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        if (!deps.originAllowed(request.headers.origin)) {
          const body: ApiError = { error: 'origin_not_allowed', message: 'requests from web pages of this origin are refused (EVENT_ROUTER_ALLOWED_ORIGINS)' };
          return reply.code(403).send(body);
        }
        const verdict = checkToken(request.headers.authorization, request.ip);
        if (verdict.ok) return;
        if (verdict.status === 429) {
          deps.log.warn({ ip: request.ip }, 'admin API: too many wrong tokens from this address');
          const body: ApiError = { error: 'too_many_failures', message: `too many wrong tokens from this address; wait ${verdict.retryAfterSeconds} s` };
          return reply.code(429).header('retry-after', String(verdict.retryAfterSeconds)).send(body);
        }
        const body: ApiError = { error: 'unauthorized', message: 'send the admin token as "Authorization: Bearer <token>"' };
        return reply.code(401).header('www-authenticate', 'Bearer').send(body);
      });

      api.setErrorHandler((error: FastifyError, request, reply) => {
        // Fastify's JSON body parser: malformed or empty body.
        if (error.code?.startsWith('FST_ERR_CTP_') || error.statusCode === 400) {
          return reply.code(error.statusCode ?? 400).send(invalid([{ field: 'body', message: error.message }], 'invalid_json'));
        }
        deps.log.error({ err: { message: error.message, code: error.code }, url: request.url }, 'admin API error');
        const body: ApiError = { error: 'internal', message: 'internal error; see the service log' };
        return reply.code(500).send(body);
      });

      registerRoutersRoutes(api, {
        store: deps.routers,
        remove: deps.removeRouter,
        log: deps.log,
        ...(deps.destinations ? { destinations: deps.destinations } : {}),
      });
      for (const register of deps.routes ?? []) register(api);
    },
    { prefix: '/api' },
  );
}
