import type { UiContext } from './context.js';
import { liveCells } from './format.js';
import { html, type SafeHtml } from './html.js';
import { healthBadge, liveValue, retryNowButton } from './router-cells.js';
import type { RouterRow } from './router-rows.js';

/**
 * The delivery state of one router above its form: an operator opening a failing router wants
 * its health, queue and last error next to the URL and credentials they are about to change.
 */
export function renderRouterStatus(row: RouterRow, ctx: UiContext, csrfToken: string): SafeHtml {
  const cells = liveCells(row);
  const fact = (label: string, value: SafeHtml | string): SafeHtml => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<section class="card router-status" aria-label="Delivery" data-live-url="/admin/api/status" data-live-interval="${ctx.refreshIntervalMs}">
  <dl class="facts">
    ${fact('Router id', html`<span class="mono">${row.id}</span>`)}
    ${fact('Health', html`${healthBadge(row)}${retryNowButton(row, csrfToken, `/admin/routers/${encodeURIComponent(row.id)}`)}`)}
    ${fact('Queued', liveValue(row.id, 'depth', cells['depth'] ?? ''))}
    ${fact('Oldest queued', liveValue(row.id, 'oldestAge', cells['oldestAge'] ?? ''))}
    ${fact('Delivered', liveValue(row.id, 'delivered', cells['delivered'] ?? ''))}
    ${fact('Failed', liveValue(row.id, 'failed', cells['failed'] ?? ''))}
    ${fact('Dead letters', html`<a href="/admin/dead-letters?router=${encodeURIComponent(row.id)}">${liveValue(row.id, 'deadLetters', cells['deadLetters'] ?? '0')}</a>`)}
    ${fact('Last error', liveValue(row.id, 'lastError', cells['lastError'] ?? '—'))}
  </dl>
</section>`;
}
