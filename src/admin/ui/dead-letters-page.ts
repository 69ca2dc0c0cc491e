import type { FastifyInstance } from 'fastify';
import type { DeadLetter, DeadLetterSelector } from '../../queue/port.js';
import type { StoredRouter } from '../../routers/types.js';
import type { UiContext } from './context.js';
import { formatCount, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { pageHead, renderPage, type Notice } from './layout.js';
import { formOf, queryParam, sendHtml, seeOther, sessionOf } from './request.js';
import { routerLabel } from './router-cells.js';

const PAGE_SIZE = 50;
/** Response bodies are truncated by delivery already; payloads can be large, so cap what a page shows. */
const MAX_SHOWN_CHARS = 8000;

const REASONS: Readonly<Record<string, string>> = {
  lrs_rejected: 'Refused by the LRS',
  retries_exhausted: 'Retries exhausted',
  conflict: 'Same id, other statement',
};

/** Dead letters by router, with the reason and the LRS response; retry or purge one or all. */
export function registerDeadLetterPages(scope: FastifyInstance, ctx: UiContext): void {
  const { queue, routers: store, log } = ctx.deps;

  scope.get('/dead-letters', async (request, reply) => {
    const session = sessionOf(request);
    const routerId = queryParam(request, 'router') || undefined;
    const after = queryParam(request, 'after');
    const [letters, routers, stats] = await Promise.all([
      queue.deadLetters.list({
        limit: PAGE_SIZE,
        ...(routerId !== undefined ? { routerId } : {}),
        ...(after !== undefined && /^\d+$/.test(after) ? { afterId: after } : {}),
      }),
      store.list(),
      queue.stats(),
    ]);
    const total = routerId === undefined ? stats.deadLetters : (stats.routers.find((r) => r.routerId === routerId)?.deadLetters ?? 0);
    const view: PageView = {
      routerId,
      letters,
      routers,
      total,
      routerIdsWithLetters: stats.routers.filter((r) => r.deadLetters > 0).map((r) => r.routerId),
      csrfToken: session.csrfToken,
    };
    return sendHtml(
      reply,
      renderPage({ title: 'Dead letters', section: 'dead-letters', session, notice: doneNotice(request.query), body: renderDeadLetters(view) }),
    );
  });

  for (const action of ['retry', 'purge'] as const) {
    scope.post(`/dead-letters/${action}`, async (request, reply) => {
      const form = formOf(request);
      const routerId = form.get('router') || undefined;
      const ids = form.getAll('id').filter((id) => /^\d+$/.test(id));
      // Without ids the action needs an explicit "all", so an empty submit never purges everything.
      if (ids.length === 0 && form.get('all') !== '1') return seeOther(reply, backTo(routerId));
      const selector: DeadLetterSelector = { ...(routerId !== undefined ? { routerId } : {}), ...(ids.length > 0 ? { ids } : {}) };
      let done: string;
      if (action === 'retry') {
        const outcome = await queue.deadLetters.retry(selector);
        done = outcome.ok ? `retried&n=${outcome.moved}` : 'overflow';
        log.info({ routerId, ids: ids.length, outcome: outcome.ok ? outcome.moved : outcome.reason, via: 'admin-ui' }, 'dead letters retried');
      } else {
        const purged = await queue.deadLetters.purge(selector);
        done = `purged&n=${purged}`;
        log.info({ routerId, ids: ids.length, purged, via: 'admin-ui' }, 'dead letters purged');
      }
      return seeOther(reply, `${backTo(routerId)}${routerId === undefined ? '?' : '&'}done=${done}`);
    });
  }
}

function backTo(routerId: string | undefined): string {
  return routerId === undefined ? '/admin/dead-letters' : `/admin/dead-letters?router=${encodeURIComponent(routerId)}`;
}

function doneNotice(query: unknown): Notice | undefined {
  const { done, n } = (query ?? {}) as { done?: string; n?: string };
  const count = Number.parseInt(n ?? '0', 10) || 0;
  const letters = `${formatCount(count)} dead letter${count === 1 ? '' : 's'}`;
  if (done === 'retried') return { kind: 'success', text: `${letters} moved back to the outbox; delivery sends them again now.` };
  if (done === 'purged') return { kind: 'success', text: `${letters} purged.` };
  if (done === 'overflow') return { kind: 'error', text: 'Nothing was retried: the outbox is full. Try again once it has drained.' };
  return undefined;
}

interface PageView {
  readonly routerId: string | undefined;
  readonly letters: DeadLetter[];
  readonly routers: StoredRouter[];
  readonly total: number;
  readonly routerIdsWithLetters: string[];
  readonly csrfToken: string;
}

function renderDeadLetters(view: PageView): SafeHtml {
  const names = new Map(view.routers.map((r) => [r.id, routerLabel(r)]));
  const nameOf = (id: string): string => names.get(id) ?? `Deleted router ${id}`;
  const options = [...new Set([...view.routers.map((r) => r.id), ...view.routerIdsWithLetters])];
  const filter = html`<form class="toolbar" method="get" action="/admin/dead-letters">
  <div class="field"><label for="f-router">Router</label>
    <select id="f-router" name="router"><option value="">All routers</option>${options.map(
      (id) => html`<option value="${id}"${id === view.routerId ? html` selected` : ''}>${nameOf(id)}</option>`,
    )}</select></div>
  <button type="submit" class="btn">Show</button>
</form>`;
  const scope = view.routerId === undefined ? 'all routers' : 'this router';
  const hidden = html`<input type="hidden" name="_csrf" value="${view.csrfToken}">${view.routerId !== undefined ? html`<input type="hidden" name="router" value="${view.routerId}">` : ''}<input type="hidden" name="all" value="1">`;
  const bulk =
    view.total === 0
      ? ''
      : html`<div class="btn-row">
  <form method="post" action="/admin/dead-letters/retry">${hidden}<button type="submit" class="btn btn-primary">Retry all ${formatCount(view.total)}</button></form>
  <form method="post" action="/admin/dead-letters/purge" data-confirm="Purge all ${view.total} dead letters of ${scope}? They cannot be recovered.">${hidden}<button type="submit" class="btn btn-danger">Purge all ${formatCount(view.total)}</button></form>
</div>`;
  const table =
    view.letters.length === 0
      ? html`<div class="empty">No dead letters${view.routerId === undefined ? '' : ' for this router'}. Events that an LRS refuses, or that run out of retries, show up here.</div>`
      : html`<table>
  <caption class="visually-hidden">Dead letters, oldest first</caption>
  <thead><tr><th scope="col">Event and statement id</th><th scope="col">Router</th><th scope="col">Reason</th><th scope="col">Response</th><th scope="col" class="num">Attempts</th><th scope="col">Dead since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${view.letters.map((letter) => letterRow(letter, nameOf(letter.routerId), view))}</tbody>
</table>
${pager(view)}`;
  return html`${pageHead('Dead letters', 'Events an LRS refused, or that ran out of retries. Retry moves them back to the outbox; purge deletes them.', bulk || undefined)}
${filter}
<section class="card flush" aria-label="Dead letters">${table}</section>`;
}

function letterRow(letter: DeadLetter, routerName: string, view: PageView): SafeHtml {
  const action = (kind: 'retry' | 'purge', label: string, className: string): SafeHtml => html`<form method="post" action="/admin/dead-letters/${kind}">
      <input type="hidden" name="_csrf" value="${view.csrfToken}"><input type="hidden" name="id" value="${letter.id}">${view.routerId !== undefined ? html`<input type="hidden" name="router" value="${view.routerId}">` : ''}
      <button type="submit" class="btn btn-sm ${className}" aria-label="${label} dead letter ${letter.eventId}">${label}</button></form>`;
  return html`<tr>
    <td><div>${letter.eventName ?? '—'}</div><div class="muted small mono">${letter.eventId}</div>
      <details><summary>Statement</summary><pre>${clip(JSON.stringify(letter.payload.value(), null, 2))}</pre></details></td>
    <td class="url small">${routerName}</td>
    <td><span class="badge badge-${letter.reason}">${REASONS[letter.reason] ?? letter.reason}</span></td>
    <td class="response">${response(letter)}</td>
    <td class="num">${letter.attempts}</td>
    <td class="small">${formatTime(letter.deadAt)}</td>
    <td class="actions">${action('retry', 'Retry', '')}${action('purge', 'Purge', 'btn-danger')}</td>
  </tr>`;
}

function response(letter: DeadLetter): SafeHtml {
  const r = letter.response;
  if (r === null) return html`<span class="muted">${letter.lastError ?? 'No response recorded'}</span>`;
  const head = [r.statusCode !== undefined ? `HTTP ${r.statusCode}` : undefined, r.errorCode, r.message].filter((part) => part !== undefined && part !== '');
  return html`<div class="response-line">${head.join(' · ') || 'No status'}</div>${
    r.body !== undefined && r.body !== '' ? html`<details><summary>Response body</summary><pre>${clip(r.body)}</pre></details>` : ''
  }`;
}

function pager(view: PageView): SafeHtml | '' {
  const last = view.letters.at(-1);
  const more = view.letters.length === PAGE_SIZE && last !== undefined;
  const query = (after?: string): string => {
    const params = new URLSearchParams();
    if (view.routerId !== undefined) params.set('router', view.routerId);
    if (after !== undefined) params.set('after', after);
    const text = params.toString();
    return `/admin/dead-letters${text === '' ? '' : `?${text}`}`;
  };
  return html`<div class="pager"><span>${formatCount(view.letters.length)} shown of ${formatCount(view.total)}</span><span><a href="${query()}">First page</a>${
    more ? html` · <a href="${query(last.id)}">Next page</a>` : ''
  }</span></div>`;
}

function clip(text: string): string {
  return text.length <= MAX_SHOWN_CHARS ? text : `${text.slice(0, MAX_SHOWN_CHARS)}\n… (${formatCount(text.length - MAX_SHOWN_CHARS)} more characters)`;
}
