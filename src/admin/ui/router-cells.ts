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
