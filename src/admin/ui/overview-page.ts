import type { FastifyInstance } from 'fastify';
import type { UiContext } from './context.js';
import { formatTime, liveCells, liveTotals } from './format.js';
import { html, type SafeHtml } from './html.js';
import { pageHead, renderPage } from './layout.js';
import { sendHtml, sessionOf } from './request.js';
import { CHART_FIELDS, lineOf, sampleOf, type ChartPoint, type HistorySample } from './history.js';
import { sparkline } from './sparkline.js';
import { healthBadge, mayRetryNow, numberCell, routerName } from './router-cells.js';
import { loadRouterRows, type RouterRows } from './router-rows.js';

/** The landing page: live counters per router, and the small JSON endpoint they poll. */
export function registerOverview(scope: FastifyInstance, ctx: UiContext): void {
  scope.get('/', async (request, reply) => {
    const rows = await loadRouterRows(ctx.deps);
    return sendHtml(reply, renderPage({ title: 'Overview', section: 'overview', session: sessionOf(request), body: overview(rows, ctx) }));
  });

  scope.get('/api/status', async (_request, reply) => {
    const rows = await loadRouterRows(ctx.deps);
    const routers = Object.fromEntries(rows.rows.map((row) => [row.id, { health: row.health, retryNow: mayRetryNow(row), cells: liveCells(row) }]));
    return reply.send({ generatedAt: ctx.now(), since: rows.since, totals: liveTotals(rows), routers });
  });
}

/** "Live" status with a pause button (WCAG 2.2.2: content that updates by itself can be paused). */
export function liveStatus(ctx: UiContext): SafeHtml {
  const seconds = Math.round(ctx.refreshIntervalMs / 100) / 10;
  return html`<div class="live-status" data-live-status data-state="live">
  <span class="live-dot" aria-hidden="true"></span><span data-live-label>Live · refreshes every ${seconds} s</span>
  <button type="button" class="btn btn-sm" data-live-toggle aria-pressed="false">Pause updates</button>
</div>`;
}

function overview(rows: RouterRows, ctx: UiContext): SafeHtml {
  const totals = liveTotals(rows);
  const stat = (field: string, label: string): SafeHtml => html`<div class="stat"><dt>${label}</dt><dd data-live="total|${field}">${totals[field]}</dd></div>`;
  const samples = [...ctx.history.samples(ctx.now()), sampleOf(rows, ctx.now())];
  const table =
    rows.rows.length === 0
      ? html`<div class="empty">No routers yet. <a href="/admin/routers/new">Add a router</a> to start delivering events.</div>`
      : html`<table class="middle">
  <caption class="visually-hidden">Counts per router since the service started</caption>
  <thead><tr><th scope="col">Router</th><th scope="col">Health</th><th scope="col" class="num">Received</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Retried</th><th scope="col" class="num">Dead-lettered</th><th scope="col" class="num">Queued</th><th scope="col" class="num">Oldest queued</th><th scope="col">Last hour</th></tr></thead>
  <tbody>${rows.rows.map(
    (row) => html`<tr>
    <th scope="row" class="url">${routerName(row)}</th>
    <td>${healthBadge(row)}</td>
    ${numberCell(row, 'received')}${numberCell(row, 'delivered')}${numberCell(row, 'retried')}${numberCell(row, 'deadLettered')}
    ${numberCell(row, 'depth')}${numberCell(row, 'oldestAge')}
    <td>${historyChart(samples, (s) => s.routers[row.id], `Last hour of ${row.routeUrl ?? row.id}`)}</td>
  </tr>`,
  )}</tbody>
</table>`;
  return html`<div data-live-url="/admin/api/status" data-live-interval="${ctx.refreshIntervalMs}">
${pageHead('Overview', `Counted since the service started, ${formatTime(rows.since)}.`, liveStatus(ctx))}
<dl class="stats" aria-label="Totals">
  ${stat('received', 'Received')}${stat('delivered', 'Delivered')}${stat('retried', 'Retried')}${stat('deadLettered', 'Dead-lettered')}${stat('depth', 'Queued now')}${stat('deadLetters', 'Dead letters waiting')}
</dl>
<section class="card charts" aria-labelledby="last-hour"><h2 id="last-hour" class="chart-title">Last hour</h2>${chartLegend()}
  <div class="chart-row">${CHART_FIELDS.map(
    (field) =>
      html`<figure><figcaption>${CHART_LABELS[field]}</figcaption>${sparkline([{ className: `spark-${field}`, values: lineOf(samples, field, (s) => s.total) }], `${CHART_LABELS[field]}, last hour`)}</figure>`,
  )}</div>
</section>
<section class="card flush" aria-labelledby="per-router"><h2 id="per-router" class="visually-hidden">Per router</h2>${table}</section>
</div>`;
}

const CHART_LABELS: Readonly<Record<(typeof CHART_FIELDS)[number], string>> = {
  received: 'Received per interval',
  delivered: 'Delivered per interval',
  queued: 'Queued',
  failed: 'Failed per interval',
};

function chartLegend(): SafeHtml {
  const keys = CHART_FIELDS.map((field) => html`<span class="key key-${field}">${field}</span>`);
  return html`<p class="small muted chart-legend">${keys} Sampled in memory since the service started: counts per sample interval, the queue as it was.</p>`;
}

/** A router's four lines in one small chart, on a shared scale. */
function historyChart(samples: readonly HistorySample[], pick: (s: HistorySample) => ChartPoint | undefined, label: string): SafeHtml {
  return sparkline(
    CHART_FIELDS.map((field) => ({ className: `spark-${field}`, values: lineOf(samples, field, pick) })),
    `${label}: received, delivered, queued and failed`,
  );
}
