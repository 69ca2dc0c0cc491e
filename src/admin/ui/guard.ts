import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COOKIE_PATH, SESSION_COOKIE, type UiContext } from './context.js';
import { readCookie } from './cookies.js';
import { html } from './html.js';
import { renderPage } from './layout.js';
import { attachSession, formOf, maybeSessionOf, sendHtml, seeOther } from './request.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isPublic(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { adminUiPublic?: boolean } | undefined)?.adminUiPublic === true;
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith(`${COOKIE_PATH}/api/`);
}

/**
 * Two hooks on the /admin scope. Before the body is read: a signed-in session is required
 * (pages redirect to sign-in, the JSON endpoints answer 401). After it is parsed: every
 * change must come from our own pages: same Origin when the browser sends one, and the
 * session's CSRF token (form field `_csrf` or header `x-csrf-token`). The cookie is also
 * SameSite=Strict, so this is defence in depth.
 */
export function registerGuard(scope: FastifyInstance, ctx: UiContext): void {
  scope.addHook('onRequest', async (request, reply) => {
    const session = ctx.sessions.read(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (session !== undefined) attachSession(request, session);
    if (session !== undefined || isPublic(request)) return;
    if (wantsJson(request)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'sign in at /admin/login' });
    }
    const next = SAFE_METHODS.has(request.method) ? `?next=${encodeURIComponent(request.url)}` : '?expired=1';
    return seeOther(reply, `${COOKIE_PATH}/login${next}`);
  });

  scope.addHook('preHandler', async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (!sameOrigin(request)) return refuse(request, reply, 'This request came from another site, so it was refused.');
    if (isPublic(request)) return;
    const session = maybeSessionOf(request);
    const submitted = formOf(request).get('_csrf') ?? header(request, 'x-csrf-token');
    if (session === undefined || !ctx.sessions.checkCsrf(session, submitted)) {
      return refuse(request, reply, 'The form has expired or did not come from this page. Go back, reload the page and try again.');
    }
  });
}

/** Origin, when sent, must name this host (compared by host: a TLS proxy changes the scheme). */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = header(request, 'origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false; // "null" (sandboxed or privacy-redirected pages) is not us
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function refuse(request: FastifyRequest, reply: FastifyReply, message: string): FastifyReply {
  if (wantsJson(request)) return reply.code(403).send({ error: 'forbidden', message });
  const body = html`<div class="card"><h1>Request refused</h1><p>${message}</p><p><a href="/admin">Back to the overview</a></p></div>`;
  return sendHtml(reply, renderPage({ title: 'Request refused', session: maybeSessionOf(request), body }), 403);
}
