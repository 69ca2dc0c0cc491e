import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DestinationPolicy } from '../routers/destination-policy.js';
import type { RemoveRouter } from '../storage/remove-router.js';
import type { RouterStore } from '../storage/router-store.js';
import { createTokenCheck } from './auth.js';
import { invalid, type ApiError } from './errors.js';
import { registerRoutersRoutes } from './routes/routers.js';

export interface AdminApiDeps {
  readonly routers: RouterStore;
  /** Deletes a router with its queued statements and dead letters (storage/remove-router.ts). */
  readonly removeRouter: RemoveRouter;
  /** Required as `Authorization: Bearer <token>` on every `/api` request. */
  readonly adminToken: string;
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
  const authorized = createTokenCheck(deps.adminToken);

  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        if (authorized(request.headers.authorization)) return;
        const body: ApiError = { error: 'unauthorized', message: 'send the admin token as "Authorization: Bearer <token>"' };
        await reply.code(401).header('www-authenticate', 'Bearer').send(body);
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
