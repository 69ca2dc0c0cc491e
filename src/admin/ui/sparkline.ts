import { html, type SafeHtml } from './html.js';

export interface SparkLine {
  /** Stylesheet class of the line (its colour). */
  readonly className: string;
  readonly values: readonly number[];
}

const WIDTH = 160;
const HEIGHT = 32;
const PAD = 2;

/** SVG polyline points of values on a shared scale (0 at the bottom, `max` at the top). */
export function sparkPoints(values: readonly number[], max: number): string {
  if (values.length === 0) return '';
  const step = values.length === 1 ? 0 : (WIDTH - 2 * PAD) / (values.length - 1);
  const y = (v: number): number => HEIGHT - PAD - (max <= 0 ? 0 : (v / max) * (HEIGHT - 2 * PAD));
  const round = (n: number): number => Math.round(n * 10) / 10;
  return values.map((v, i) => `${round(PAD + i * step)},${round(y(v))}`).join(' ');
}

/**
 * A small chart drawn on the server as plain SVG (no script, no library): the lines share one
 * scale, labelled for screen readers by `label`, whose text also gives the peak.
 */
export function sparkline(lines: readonly SparkLine[], label: string): SafeHtml {
  const max = Math.max(0, ...lines.flatMap((l) => l.values));
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}, peak ${max}"><line class="spark-base" x1="0" y1="${HEIGHT - PAD}" x2="${WIDTH}" y2="${HEIGHT - PAD}"></line>${lines.map(
    (l) => html`<polyline class="${l.className}" points="${sparkPoints(l.values, max)}"></polyline>`,
  )}</svg>`;
}
