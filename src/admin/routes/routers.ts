import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_DESTINATIONS, type DestinationPolicy } from '../../routers/destination-policy.js';
import { parseRouterDraft, resolveRouter } from '../../routers/parse-router.js';
import type { StoredRouter } from '../../routers/types.js';
import { restoreRedactedHeaders, toRouterView } from '../../routers/view.js';
import { describeHeld, type RemoveRouter } from '../../queue/remove-router.js';
import type { RouterStore, StoreOutcome } from '../../storage/router-store.js';
import { invalid, logSafeUrl, type ApiError } from '../errors.js';

export interface RoutersRouteDeps {
  readonly store: RouterStore;
  readonly remove: RemoveRouter;
  readonly log: Logger;
  /** Where routers may send (settings); the defaults of the settings when absent. */
  readonly destinations?: DestinationPolicy;
}

type IdParams = { Params: { id: string } };

/**
 * `/routers` CRUD. Bodies use our field names or ERB's (see parse-router.ts); answers never
 * carry a password or token (`hasPassword`, `hasToken`). Mutations answer with `warnings`.
 */
export function registerRoutersRoutes(api: FastifyInstance, { store, remove, log, destinations = DEFAULT_DESTINATIONS }: RoutersRouteDeps): void {
  api.get('/routers', async () => ({ routers: (await store.list()).map(toRouterView) }));

  api.get<IdParams>('/routers/:id', async (request, reply) => {
    const router = await store.get(request.params.id);
    return router === undefined ? notFound(reply, request.params.id) : { router: toRouterView(router) };
  });

  api.post('/routers', async (request, reply) => {
    const draft = parseRouterDraft(request.body);
    if (!draft.ok) return reply.code(400).send(invalid(draft.errors));
    const resolved = resolveRouter(draft.draft, { mode: 'create', fieldNames: draft.fieldNames, destinations });
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
    const resolved = resolveRouter(draft.draft, { mode, base: existing, fieldNames: draft.fieldNames, destinations });
    if (!resolved.ok) return reply.code(400).send(invalid(resolved.errors));
    const saved = await store.update(existing.id, resolved.spec);
    if (!saved.ok) return failed(reply, saved);
    logChange('router updated', saved.router, resolved.warnings);
    return { router: toRouterView(saved.router), warnings: resolved.warnings };
  };
  api.put<IdParams>('/routers/:id', change('replace'));
  api.patch<IdParams>('/routers/:id', change('patch'));

  // A router with queued statements or dead letters is deleted only with ?force=true, and they go with it.
  api.delete<IdParams & { Querystring: { force?: string } }>('/routers/:id', async (request, reply) => {
    const id = request.params.id;
    const force = parseFlag(request.query.force);
    if (force === undefined) {
      const body: ApiError = { error: 'invalid_query', message: 'force must be true or false' };
      return reply.code(400).send(body);
    }
    const outcome = await remove(id, { force });
    if (!outcome.ok && outcome.reason === 'not_found') return notFound(reply, id);
    if (!outcome.ok) {
      const message = `router ${id} still has ${describeHeld(outcome)}; DELETE with ?force=true deletes it and discards them, or disable the router to keep them`;
      return reply.code(409).send({ error: 'router_not_empty', message, queued: outcome.queued, deadLetters: outcome.deadLetters });
    }
    log.info({ routerId: id, ...outcome.discarded }, 'router removed');
    return { router: toRouterView(outcome.router), discarded: outcome.discarded };
  });

  function logChange(message: string, router: StoredRouter, warnings: readonly string[]): void {
    // Only what identifies the router: never credentials, never the URL's query string.
    const fields = { routerId: router.id, backend: router.backend, destination: logSafeUrl(router.routeUrl), enabled: router.enabled };
    log.info(fields, message);
    for (const warning of warnings) log.warn({ routerId: router.id }, `router warning: ${warning}`);
  }
}

/** A query flag: absent or false → false; present (empty), true or 1 → true; anything else is refused. */
function parseFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === '' || value === 'true' || value === '1') return true;
  return undefined;
}

function notFound(reply: FastifyReply, id: string): FastifyReply {
  const body: ApiError = { error: 'not_found', message: `no router with id ${id}` };
  return reply.code(404).send(body);
}

function failed(reply: FastifyReply, outcome: Extract<StoreOutcome, { ok: false }>): FastifyReply {
  const body: ApiError = { error: outcome.reason, message: outcome.message };
  return reply.code(outcome.reason === 'not_found' ? 404 : 409).send(body);
}
