import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { parseRouterDraft, resolveRouter } from '../../routers/parse-router.js';
import type { StoredRouter } from '../../routers/types.js';
import { restoreRedactedHeaders, toRouterView } from '../../routers/view.js';
import type { RouterStore, StoreOutcome } from '../../storage/router-store.js';
import { invalid, logSafeUrl, type ApiError } from '../errors.js';

export interface RoutersRouteDeps {
  readonly store: RouterStore;
  readonly log: Logger;
}

type IdParams = { Params: { id: string } };

/**
 * `/routers` CRUD. Bodies use our field names or ERB's (see parse-router.ts); answers never
 * carry a password or token (`hasPassword`, `hasToken`). Mutations answer with `warnings`.
 */
export function registerRoutersRoutes(api: FastifyInstance, { store, log }: RoutersRouteDeps): void {
  api.get('/routers', async () => ({ routers: (await store.list()).map(toRouterView) }));

  api.get<IdParams>('/routers/:id', async (request, reply) => {
    const router = await store.get(request.params.id);
    return router === undefined ? notFound(reply, request.params.id) : { router: toRouterView(router) };
  });

  api.post('/routers', async (request, reply) => {
    const draft = parseRouterDraft(request.body);
    if (!draft.ok) return reply.code(400).send(invalid(draft.errors));
    const resolved = resolveRouter(draft.draft, { mode: 'create', fieldNames: draft.fieldNames });
    if (!resolved.ok) return reply.code(400).send(invalid(resolved.errors));
    const saved = await store.create(resolved.spec);
    if (!saved.ok) return failed(reply, saved);
    logChange('router created', saved.router, resolved.warnings);
    return reply
      .code(201)
      .header('location', `/api/routers/${saved.router.id}`)
      .send({ router: toRouterView(saved.router), warnings: resolved.warnings });
  });

  const change = (mode: 'replace' | 'patch') => async (request: { params: { id: string }; body: unknown }, reply: FastifyReply) => {
    const existing = await store.get(request.params.id);
    if (existing === undefined) return notFound(reply, request.params.id);
    const draft = parseRouterDraft(request.body);
    if (!draft.ok) return reply.code(400).send(invalid(draft.errors));
    if (draft.draft.configurations !== undefined) {
      draft.draft.configurations = restoreRedactedHeaders(draft.draft.configurations, existing.configurations);
    }
    const resolved = resolveRouter(draft.draft, { mode, base: existing, fieldNames: draft.fieldNames });
    if (!resolved.ok) return reply.code(400).send(invalid(resolved.errors));
    const saved = await store.update(existing.id, resolved.spec);
    if (!saved.ok) return failed(reply, saved);
    logChange('router updated', saved.router, resolved.warnings);
    return { router: toRouterView(saved.router), warnings: resolved.warnings };
  };
  api.put<IdParams>('/routers/:id', change('replace'));
  api.patch<IdParams>('/routers/:id', change('patch'));

  api.delete<IdParams>('/routers/:id', async (request, reply) => {
    if (!(await store.remove(request.params.id))) return notFound(reply, request.params.id);
    log.info({ routerId: request.params.id }, 'router removed');
    return reply.code(204).send();
  });

  function logChange(message: string, router: StoredRouter, warnings: readonly string[]): void {
    // Only what identifies the router: never credentials, never the URL's query string.
    const fields = { routerId: router.id, backend: router.backend, destination: logSafeUrl(router.routeUrl), enabled: router.enabled };
    log.info(fields, message);
    for (const warning of warnings) log.warn({ routerId: router.id }, `router warning: ${warning}`);
  }
}

function notFound(reply: FastifyReply, id: string): FastifyReply {
  const body: ApiError = { error: 'not_found', message: `no router with id ${id}` };
  return reply.code(404).send(body);
}

function failed(reply: FastifyReply, outcome: Extract<StoreOutcome, { ok: false }>): FastifyReply {
  const body: ApiError = { error: outcome.reason, message: outcome.message };
  return reply.code(outcome.reason === 'not_found' ? 404 : 409).send(body);
}
