import type { FastifyError, FastifyInstance } from 'fastify';
import { registerAssets } from './assets.js';
import { createUiContext } from './context.js';
import { registerDeadLetterPages } from './dead-letters-page.js';
import { DEFAULT_CHART_SAMPLE_MS, type AdminUiDeps } from './deps.js';
import { registerGuard } from './guard.js';
import { html } from './html.js';
import { pageHead, renderPage } from './layout.js';
import { registerOverview } from './overview-page.js';
import { maybeSessionOf, sendHtml } from './request.js';
import { registerRouterPages } from './router-pages.js';
import { loadRouterRows } from './router-rows.js';
import { registerSignIn } from './sign-in.js';

export type { AdminUiDeps } from './deps.js';
export { createDeliveryCounters, type CountersSnapshot, type DeliveryCounters, type RouterCounters } from './counters.js';

const FORM = 'application/x-www-form-urlencoded';
/** A router form is small; a configurations JSON of this size is already unusual. */
const FORM_BODY_LIMIT_BYTES = 512 * 1024;

/**
 * The web admin page at `/admin` (server-rendered HTML, one small script). Everything lives in
 * its own encapsulated fastify scope: the form parser, the sign-in guard, the security headers
 * and the error pages apply to /admin only, never to ingest or the token-protected /api.
 */
export async function registerAdminUi(server: FastifyInstance, deps: AdminUiDeps): Promise<void> {
  const ctx = createUiContext(deps);
  // The charts' samples: a failed read leaves a gap, never an error (the page itself reports one).
  const sampler = setInterval(() => {
    loadRouterRows(deps).then(
      (rows) => ctx.history.add(rows, ctx.now()),
      () => undefined,
    );
  }, deps.chartSampleMs ?? DEFAULT_CHART_SAMPLE_MS);
  sampler.unref();
  server.addHook('onClose', async () => clearInterval(sampler));
  await server.register(
    async (scope) => {
      // Our own parser in this scope (replacing any inherited one) so handlers always get URLSearchParams.
      if (scope.hasContentTypeParser(FORM)) scope.removeContentTypeParser(FORM);
      scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES }, (_request, body, done) =>
        done(null, new URLSearchParams(body as string)),
      );

      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('content-security-policy', CSP);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('x-frame-options', 'DENY');
        // same-origin (not no-referrer): browsers then still send Origin on our POSTs, which the guard checks.
        reply.header('referrer-policy', 'same-origin');
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
        return payload;
      });

      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) deps.log.error({ err: { message: error.message, code: error.code }, url: request.url }, 'admin UI error');
        const message = status === 500 ? 'Something went wrong on the server; the service log has the details.' : error.message;
        if (request.url.startsWith('/admin/api/')) return reply.code(status).send({ error: status === 500 ? 'internal' : 'bad_request', message });
        const body = html`${pageHead(status === 500 ? 'Server error' : 'Bad request')}<div class="card"><p>${message}</p><p><a href="/admin">Back to the overview</a></p></div>`;
        return sendHtml(reply, renderPage({ title: 'Error', session: maybeSessionOf(request), body }), status);
      });

      scope.setNotFoundHandler((request, reply) => {
        const body = html`${pageHead('Page not found')}<div class="card"><p>There is no admin page at this address.</p><p><a href="/admin">Go to the overview</a></p></div>`;
        return sendHtml(reply, renderPage({ title: 'Not found', session: maybeSessionOf(request), body }), 404);
      });

      registerGuard(scope, ctx);
      registerAssets(scope);
      registerSignIn(scope, ctx);
      registerOverview(scope, ctx);
      registerRouterPages(scope, ctx);
      registerDeadLetterPages(scope, ctx);
    },
    { prefix: '/admin' },
  );
}

/** Only our own files: no inline script or style, no framing, forms post only to us. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');
