import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DiscardedItems } from '../../queue/port.js';
import type { RouterSpec, StoredRouter } from '../../routers/types.js';
import { describeHeld, heldItems } from '../../queue/remove-router.js';
import { logSafeUrl } from '../errors.js';
import type { UiContext } from './context.js';
import { formatCount } from './format.js';
import { html } from './html.js';
import { pageHead, renderPage, type Notice } from './layout.js';
import { formOf, queryParam, safeNext, sendHtml, seeOther, sessionOf } from './request.js';
import { invalidFields, slotStrings, checkSlots } from './router-check-view.js';
import { backendOffReason, DEFAULT_DESTINATIONS } from '../../routers/destination-policy.js';
import { checkRouterForm, type RouterCheck } from './router-check.js';
import { routerLabel } from './router-cells.js';
import { formValuesFrom, formValuesOf, NEW_ROUTER_VALUES, renderRouterForm, type RouterFormValues } from './router-form.js';
import { renderRouterHelp } from './router-help.js';
import { renderRouterList } from './router-list.js';
import { renderRouterStatus } from './router-status.js';
import { loadRouterRows } from './router-rows.js';

type IdParams = { Params: { id: string } };

const DONE: Readonly<Record<string, string>> = {
  created: 'Router created. Delivery picks it up within a few seconds.',
  saved: 'Router saved. Delivery applies the change within a few seconds.',
  enabled: 'Router enabled.',
  disabled: 'Router disabled: its events stay queued until it is enabled again.',
  deleted: 'Router deleted.',
};

/** Router list, add, edit, enable/disable, delete, and the as-you-type check. */
export function registerRouterPages(scope: FastifyInstance, ctx: UiContext): void {
  const { routers: store, log } = ctx.deps;
  const destinations = ctx.deps.destinations ?? DEFAULT_DESTINATIONS;

  scope.get('/routers', async (request, reply) => {
    const done = doneText(request);
    const session = sessionOf(request);
    const body = renderRouterList(await loadRouterRows(ctx.deps), ctx, session.csrfToken);
    return sendHtml(
      reply,
      renderPage({ title: 'Routers', section: 'routers', session, notice: done === undefined ? undefined : { kind: 'success', text: done }, body }),
    );
  });

  scope.get('/routers/new', async (request, reply) => sendForm(request, reply, undefined, NEW_ROUTER_VALUES, undefined));

  scope.post('/routers', async (request, reply) => {
    const form = formOf(request);
    const check = checkRouterForm(form, undefined, destinations);
    if (!check.ok || check.spec === undefined) return sendForm(request, reply, undefined, formValuesFrom(form), check, 400);
    const saved = await store.create(check.spec);
    if (!saved.ok) return sendForm(request, reply, undefined, formValuesFrom(form), conflictCheck(check, saved.message), 409);
    logChange('router created', saved.router, check.warnings);
    return seeOther(reply, '/admin/routers?done=created');
  });

  scope.get<IdParams>('/routers/:id', async (request, reply) => {
    const router = await store.get(request.params.id);
    if (router === undefined) return notFound(request, reply);
    return sendForm(request, reply, router, formValuesOf(router), undefined);
  });

  scope.post<IdParams>('/routers/:id', async (request, reply) => {
    const existing = await store.get(request.params.id);
    if (existing === undefined) return notFound(request, reply);
    const form = formOf(request);
    const check = checkRouterForm(form, existing, destinations);
    if (!check.ok || check.spec === undefined) return sendForm(request, reply, existing, formValuesFrom(form), check, 400);
    const saved = await store.update(existing.id, check.spec);
    if (!saved.ok) return sendForm(request, reply, existing, formValuesFrom(form), conflictCheck(check, saved.message), 409);
    logChange('router updated', saved.router, check.warnings);
    return seeOther(reply, '/admin/routers?done=saved');
  });

  scope.post<IdParams>('/routers/:id/enabled', async (request, reply) => {
    const existing = await store.get(request.params.id);
    if (existing === undefined) return notFound(request, reply);
    const enabled = formOf(request).get('enabled') === 'true';
    const saved = await store.update(existing.id, { ...specOf(existing), enabled });
    if (saved.ok) logChange(enabled ? 'router enabled' : 'router disabled', saved.router, []);
    return seeOther(reply, `/admin/routers?done=${enabled ? 'enabled' : 'disabled'}`);
  });

  scope.get<IdParams>('/routers/:id/delete', async (request, reply) => {
    const router = await store.get(request.params.id);
    if (router === undefined) return notFound(request, reply);
    return sendDeleteConfirmation(request, reply, router, await heldItems(ctx.deps.queue, router.id));
  });

  // The confirmation is the admin API's ?force=true: the box to tick names what goes with the router.
  scope.post<IdParams>('/routers/:id/delete', async (request, reply) => {
    const id = request.params.id;
    const outcome = await ctx.deps.removeRouter(id, { force: formOf(request).get('discard') === 'on' });
    if (!outcome.ok && outcome.reason === 'not_found') return notFound(request, reply);
    if (!outcome.ok) {
      // Statements arrived after the page was shown, or the box was not ticked: ask again with today's numbers.
      const notice: Notice = {
        kind: 'error',
        text: `The router was not deleted: it has ${describeHeld(outcome)}. Tick the box to discard them with it, or disable the router instead.`,
      };
      return sendDeleteConfirmation(request, reply, outcome.router, outcome, notice, 409);
    }
    log.info({ routerId: id, ...outcome.discarded, via: 'admin-ui' }, 'router removed');
    const { queued, deadLetters } = outcome.discarded;
    return seeOther(reply, `/admin/routers?done=deleted&queued=${queued}&dead=${deadLetters}`);
  });

  // "Retry now": the same operation as the admin API's POST /api/routers/:id/retry.
  scope.post<IdParams>('/routers/:id/retry', async (request, reply) => {
    const existing = await store.get(request.params.id);
    if (existing === undefined) return notFound(request, reply);
    const back = safeNext(formOf(request).get('back'));
    const retryNow = ctx.deps.retryNow;
    if (retryNow === undefined) return seeOther(reply, back);
    const waiting = await retryNow(existing.id);
    log.info({ routerId: existing.id, waiting, via: 'admin-ui' }, 'router retried now');
    return seeOther(reply, `${back}${back.includes('?') ? '&' : '?'}done=retried&n=${waiting}`);
  });

  // The as-you-type check: the same function as the save, answered as HTML fragments.
  scope.post('/api/check-router', async (request, reply) => {
    const id = queryParam(request, 'id');
    const existing = id === undefined ? undefined : await store.get(id);
    const check = checkRouterForm(formOf(request), existing, destinations);
    return reply.send({ ok: check.ok, errorCount: check.errors.length, invalid: invalidFields(check), slots: slotStrings(checkSlots(check)) });
  });

  async function sendDeleteConfirmation(
    request: FastifyRequest,
    reply: FastifyReply,
    router: StoredRouter,
    held: DiscardedItems,
    notice?: Notice,
    status = 200,
  ): Promise<FastifyReply> {
    const session = sessionOf(request);
    const empty = held.queued === 0 && held.deadLetters === 0;
    const body = html`${pageHead('Delete router')}
<div class="card narrow">
  <p>Delete the router <strong>${routerLabel(router)}</strong>? This cannot be undone.</p>
  <p class="muted">${empty ? 'It has no queued statements and no dead letters.' : `It has ${describeHeld(held)}: they are discarded with it, never delivered.`}
  To stop delivery for a while and keep them, disable the router instead.</p>
  <form method="post" action="/admin/routers/${encodeURIComponent(router.id)}/delete">
    <input type="hidden" name="_csrf" value="${session.csrfToken}">
    ${empty ? '' : html`<div class="field"><label class="choice"><input type="checkbox" name="discard" value="on" required> Discard its ${describeHeld(held)}</label></div>`}
    <div class="btn-row"><button type="submit" class="btn btn-danger-solid">Delete router</button><a class="btn" href="/admin/routers">Cancel</a></div>
  </form>
</div>`;
    return sendHtml(reply, renderPage({ title: 'Delete router', section: 'routers', session, notice, body }), status);
  }

  async function sendForm(
    request: FastifyRequest,
    reply: FastifyReply,
    router: StoredRouter | undefined,
    values: RouterFormValues,
    check: RouterCheck | undefined,
    status = 200,
  ): Promise<FastifyReply> {
    const session = sessionOf(request);
    const form = check === undefined ? undefined : formOf(request);
    const model = {
      routerId: router?.id,
      values,
      storedPassword: router?.auth.scheme === 'basic' && router.auth.password !== '',
      storedToken: router?.auth.scheme === 'bearer' && router.auth.token !== '',
      check,
      retypeSecret: form !== undefined && (form.get('password') || form.get('token') || '') !== '',
      csrfToken: session.csrfToken,
    };
    const title = router === undefined ? 'Add router' : 'Edit router';
    const lead = router === undefined ? 'The same fields as event-routing-backends’ RouterConfiguration.' : routerLabel(router);
    const done = check === undefined ? doneText(request) : undefined;
    const notice: Notice | undefined =
      check !== undefined && !check.ok
        ? { kind: 'error', text: `The router was not saved: ${describeErrors(check)}.` }
        : (offNotice(router) ?? (done === undefined ? undefined : { kind: 'success', text: done }));
    const row = router === undefined ? undefined : (await loadRouterRows(ctx.deps)).rows.find((r) => r.id === router.id);
    const delivery = row === undefined ? '' : renderRouterStatus(row, ctx, session.csrfToken);
    const body = html`${pageHead(title, lead)}${delivery}<div class="form-layout">${renderRouterForm(model)}${renderRouterHelp()}</div>`;
    return sendHtml(reply, renderPage({ title, section: 'routers', session, notice, body }), status);
  }

  /** A stored router whose backend is off gets nothing: its page says why before anything else. */
  function offNotice(router: StoredRouter | undefined): Notice | undefined {
    const off = router === undefined ? undefined : backendOffReason(destinations, router.backend);
    return off === undefined ? undefined : { kind: 'warning', text: `${off}.` };
  }

  function logChange(message: string, router: StoredRouter, warnings: readonly string[]): void {
    // As the admin API logs: never credentials, never the URL's query string.
    log.info({ routerId: router.id, backend: router.backend, destination: logSafeUrl(router.routeUrl), enabled: router.enabled, via: 'admin-ui' }, message);
    for (const warning of warnings) log.warn({ routerId: router.id }, `router warning: ${warning}`);
  }

  async function notFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const body = html`${pageHead('Router not found')}<div class="card"><p>There is no such router; it may have been deleted.</p><p><a href="/admin/routers">Back to the routers</a></p></div>`;
    return sendHtml(reply, renderPage({ title: 'Router not found', section: 'routers', session: sessionOf(request), body }), 404);
  }
}

/** The notice after a change; a deletion says what went with the router, a retry how many statements it woke. */
function doneText(request: FastifyRequest): string | undefined {
  const done = queryParam(request, 'done');
  if (done === 'retried') return retriedText(Number(queryParam(request, 'n') ?? 0) || 0);
  const [queued, dead] = [queryParam(request, 'queued'), queryParam(request, 'dead')];
  const text = DONE[done ?? ''];
  if (done !== 'deleted' || text === undefined) return text;
  const held = { queued: Number(queued ?? 0) || 0, deadLetters: Number(dead ?? 0) || 0 };
  return held.queued === 0 && held.deadLetters === 0 ? text : `${text} Discarded with it: ${describeHeld(held)}.`;
}

function retriedText(waiting: number): string {
  const what = waiting === 0 ? 'No statement was waiting for a retry' : `${formatCount(waiting)} waiting statement${waiting === 1 ? ' is' : 's are'} due now`;
  return `Retry now: ${what}; delivery tries the router again at once.`;
}

function specOf(router: StoredRouter): RouterSpec {
  return { backend: router.backend, routeUrl: router.routeUrl, auth: router.auth, enabled: router.enabled, configurations: router.configurations };
}

/** The store refused (route URL taken): shown as an error of that field. */
function conflictCheck(check: RouterCheck, message: string): RouterCheck {
  return { ...check, ok: false, spec: undefined, errors: [...check.errors, { field: 'routeUrl', message }] };
}

function describeErrors(check: RouterCheck): string {
  const n = check.errors.length;
  return `${n} problem${n === 1 ? '' : 's'} to fix, marked below`;
}
