import { HEALTH_LABELS, liveCells } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { RouterRow } from './router-rows.js';

/** Table cells shared by the overview and the router list; `data-live` ones refresh on their own. */

export function liveValue(routerId: string, field: string, text: string): SafeHtml {
  return html`<span data-live="${routerId}|${field}">${text}</span>`;
}

export function numberCell(row: RouterRow, field: string): SafeHtml {
  return html`<td class="num">${liveValue(row.id, field, liveCells(row)[field] ?? '')}</td>`;
}

/** The health badge, with the time of the next attempt under it while delivery waits. */
export function healthBadge(row: RouterRow): SafeHtml {
  return html`<span class="badge badge-${row.health}" data-live="${row.id}|health">${HEALTH_LABELS[row.health]}</span><div class="muted small" data-live="${row.id}|nextAttempt">${liveCells(row)['nextAttempt']}</div>`;
}

/** States in which delivery holds the router back, so that an operator may ask for an attempt now. */
const HELD: ReadonlySet<RouterRow['health']> = new Set(['circuit_open', 'rate_limited', 'unauthorized']);

/** Whether "Retry now" has anything to do: the router is held back, or statements wait for a retry. */
export function mayRetryNow(row: RouterRow): boolean {
  return row.enabled && row.routeUrl !== undefined && (HELD.has(row.health) || row.retrying > 0);
}

/**
 * "Retry now": waiting statements become due and the router stops waiting. Always in the page,
 * hidden while there is nothing to retry; the live refresh shows it when the router starts to wait.
 * `back` is the page to return to.
 */
export function retryNowButton(row: RouterRow, csrfToken: string, back: string): SafeHtml {
  return html`<form method="post" action="/admin/routers/${encodeURIComponent(row.id)}/retry" class="retry-now" data-retry-now="${row.id}"${mayRetryNow(row) ? '' : html` hidden`}>
      <input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="back" value="${back}">
      <button type="submit" class="btn btn-sm" aria-label="Retry now: router ${row.routeUrl ?? row.id}">Retry now</button></form>`;
}

/** A URL that may break after a `/`, `?` or `&` rather than inside a word. */
export function breakableUrl(url: string): SafeHtml {
  return html`${url.split(/(?<=[/?&])/).map((part) => html`${part}<wbr>`)}`;
}

export const BACKEND_LABELS: Readonly<Record<string, string>> = { xapi: 'xAPI', caliper: 'Caliper' };

/** The router's URL (a link to its form) over its backend; a deleted router by its id. */
export function routerName(row: RouterRow, link = true): SafeHtml {
  if (row.routeUrl === undefined) {
    return html`<span class="muted">Deleted router</span><div class="muted small mono">${row.id}</div>`;
  }
  const url = link ? html`<a href="/admin/routers/${encodeURIComponent(row.id)}">${breakableUrl(row.routeUrl)}</a>` : breakableUrl(row.routeUrl);
  // The id is the `destination` label of the metrics and what the CLI takes.
  return html`${url}<div><span class="badge badge-backend">${BACKEND_LABELS[row.backend ?? ''] ?? row.backend}</span> <span class="muted small mono router-id" title="Router id (the destination label of the metrics)">${row.id}</span></div>`;
}

/** Options of a router picker, labelled "xAPI · https://…". */
export function routerLabel(router: { backend: string; routeUrl: string }): string {
  return `${BACKEND_LABELS[router.backend] ?? router.backend} · ${router.routeUrl}`;
}
