import { backendOffReason, DEFAULT_DESTINATIONS } from '../../routers/destination-policy.js';
import type { UiContext } from './context.js';
import { liveCells } from './format.js';
import { html, type SafeHtml } from './html.js';
import { pageHead } from './layout.js';
import { liveStatus } from './overview-page.js';
import { healthBadge, liveValue, numberCell, retryNowButton, routerName } from './router-cells.js';
import type { RouterRow, RouterRows } from './router-rows.js';

/** The router list: configuration, delivery state and actions, one row per router. */
export function renderRouterList(rows: RouterRows, ctx: UiContext, csrfToken: string): SafeHtml {
  const configured = rows.rows.filter((row) => row.routeUrl !== undefined);
  const add = html`<div class="btn-row">${liveStatus(ctx)}<a class="btn btn-primary" href="/admin/routers/new">Add router</a></div>`;
  const table =
    configured.length === 0
      ? html`<div class="empty">No routers yet. A router sends the events that match it to one LRS. <a href="/admin/routers/new">Add the first one</a>.</div>`
      : html`<table class="middle">
  <caption class="visually-hidden">Routers</caption>
  <thead><tr>
    <th scope="col">Router</th><th scope="col">Enabled</th><th scope="col">Health</th>
    <th scope="col" class="num">Queued</th><th scope="col" class="num">Oldest queued</th>
    <th scope="col" class="num">Delivered</th><th scope="col" class="num"><abbr title="Statements of failed requests (refused, unauthorized, unreachable), retried or not">Failed</abbr></th>
    <th scope="col">Last error</th><th scope="col" class="num">Dead letters</th><th scope="col"><span class="visually-hidden">Actions</span></th>
  </tr></thead>
  <tbody>${configured.map((row) => routerRow(row, csrfToken, offReason(row, ctx)))}</tbody>
</table>`;
  return html`<div data-live-url="/admin/api/status" data-live-interval="${ctx.refreshIntervalMs}">
${pageHead('Routers', 'Each router sends the events that match its configurations to one LRS, as in event-routing-backends.', add)}
<section class="card flush" aria-label="Routers">${table}</section>
</div>`;
}

/** Why the router receives nothing although it may be enabled and healthy: its backend is off. */
function offReason(row: RouterRow, ctx: UiContext): string | undefined {
  return row.backend === undefined ? undefined : backendOffReason(ctx.deps.destinations ?? DEFAULT_DESTINATIONS, row.backend);
}

function routerRow(row: RouterRow, csrfToken: string, off: string | undefined): SafeHtml {
  const id = encodeURIComponent(row.id);
  const cells = liveCells(row);
  const toggle = html`<form method="post" action="/admin/routers/${id}/enabled">
      <input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="enabled" value="${row.enabled ? 'false' : 'true'}">
      <button type="submit" class="btn btn-sm" aria-label="${row.enabled ? 'Disable' : 'Enable'} router ${row.routeUrl}">${row.enabled ? 'Disable' : 'Enable'}</button>
    </form>`;
  return html`<tr>
    <th scope="row" class="url">${routerName(row)}<div class="small muted match">${row.matchParams === null ? 'every event' : html`match_params <code>${row.matchParams}</code>`}</div></th>
    <td>${row.enabled ? html`<span class="badge badge-on">On</span>` : html`<span class="badge">Off</span>`}</td>
    <td>${healthBadge(row)}${off === undefined ? '' : html`<div class="backend-off small">${off}</div>`}${retryNowButton(row, csrfToken, '/admin/routers')}</td>
    ${numberCell(row, 'depth')}${numberCell(row, 'oldestAge')}${numberCell(row, 'delivered')}${numberCell(row, 'failed')}
    <td class="error"><span data-live="${row.id}|lastError" title="${cells['lastError']}"${row.lastError !== null ? html` class="has-error"` : ''}>${cells['lastError']}</span></td>
    <td class="num"><a href="/admin/dead-letters?router=${id}" aria-label="Dead letters of ${row.routeUrl}">${liveValue(row.id, 'deadLetters', cells['deadLetters'] ?? '0')}</a></td>
    <td class="actions">
      <a class="btn btn-sm" href="/admin/routers/${id}" aria-label="Edit router ${row.routeUrl}">Edit</a>
      ${toggle}
      <a class="btn btn-sm btn-danger" href="/admin/routers/${id}/delete" aria-label="Delete router ${row.routeUrl}">Delete</a>
    </td>
  </tr>`;
}
