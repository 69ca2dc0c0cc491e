import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COOKIE_PATH, PUBLIC_ROUTE, SESSION_COOKIE, type UiContext } from './context.js';
import { serializeCookie } from './cookies.js';
import { ADMIN_USER, createCredentialCheck } from './credentials.js';
import { html } from './html.js';
import { brand, notice, renderBarePage, type Notice } from './layout.js';
import { formOf, maybeSessionOf, queryParam, safeNext, sendHtml, seeOther, sessionOf } from './request.js';

/** Sign-in with user "admin" and the admin token as password; sign-out revokes the session. */
export function registerSignIn(scope: FastifyInstance, ctx: UiContext): void {
  const credentialsOk = createCredentialCheck(ctx.deps.adminToken);

  scope.get('/login', { config: PUBLIC_ROUTE }, async (request, reply) => {
    if (maybeSessionOf(request) !== undefined) return seeOther(reply, safeNext(queryParam(request, 'next')));
    const message: Notice | undefined =
      queryParam(request, 'signed-out') !== undefined
        ? { kind: 'success', text: 'You are signed out.' }
        : queryParam(request, 'expired') !== undefined
          ? { kind: 'warning', text: 'Your session ended. Sign in again, then repeat the change.' }
          : undefined;
    return sendHtml(reply, loginPage({ next: safeNext(queryParam(request, 'next')), username: ADMIN_USER, message }));
  });

  scope.post('/login', { config: PUBLIC_ROUTE }, async (request, reply) => {
    const form = formOf(request);
    const next = safeNext(form.get('next'));
    const username = form.get('username') ?? '';
    const waitMs = ctx.throttle.blockedForMs(request.ip);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      const message: Notice = { kind: 'error', text: `Too many failed sign-ins from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` };
      return sendHtml(reply.header('retry-after', String(Math.ceil(waitMs / 1000))), loginPage({ next, username, message }), 429);
    }
    if (!credentialsOk(username, form.get('password') ?? '')) {
      ctx.throttle.failed(request.ip);
      ctx.deps.log.warn({ ip: request.ip }, 'admin UI: failed sign-in');
      const message: Notice = { kind: 'error', text: 'Wrong username or password.' };
      return sendHtml(reply, loginPage({ next, username, message }), 401);
    }
    ctx.throttle.succeeded(request.ip);
    const { cookie } = ctx.sessions.issue();
    ctx.deps.log.info({ ip: request.ip }, 'admin UI: signed in');
    setSessionCookie(reply, request, ctx, cookie, Math.floor(ctx.sessionTtlMs / 1000));
    return seeOther(reply, next);
  });

  scope.post('/logout', async (request, reply) => {
    ctx.sessions.revoke(sessionOf(request));
    setSessionCookie(reply, request, ctx, '', 0);
    return seeOther(reply, `${COOKIE_PATH}/login?signed-out=1`);
  });
}

function setSessionCookie(reply: FastifyReply, request: FastifyRequest, ctx: UiContext, value: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, value, { path: COOKIE_PATH, maxAgeSeconds, secure: ctx.secureCookies(request) }));
}

function loginPage(options: { next: string; username: string; message: Notice | undefined }): string {
  const failed = options.message?.kind === 'error';
  const body = html`<div class="login-card">
  ${brand()}
  <h1>Sign in</h1>
  <p class="muted small">Manage routers, dead letters and live delivery counts.</p>
  ${notice(options.message)}
  <form method="post" action="/admin/login">
    <input type="hidden" name="next" value="${options.next}">
    <div class="field">
      <label for="f-username">Username</label>
      <input type="text" id="f-username" name="username" value="${options.username}" autocomplete="username" autocapitalize="off" spellcheck="false" required>
    </div>
    <div class="field">
      <label for="f-password">Password</label>
      <input type="password" id="f-password" name="password" autocomplete="current-password" required aria-describedby="hint-password"${failed ? html` autofocus aria-invalid="true"` : ''}>
      <p class="hint" id="hint-password">The user is <code>admin</code>; the password is the admin token (<code>EVENT_ROUTER_ADMIN_TOKEN</code>, or the <code>admin-token</code> file in the data directory).</p>
    </div>
    <button type="submit" class="btn btn-primary">Sign in</button>
  </form>
</div>`;
  return renderBarePage('Sign in', body);
}
