import { readFileSync } from 'node:fs';
import { createStaticLookups, parseStaticLookups } from '../src/transforms/shared/static-lookups.js';
import type { Lookups } from '../src/transforms/shared/lookups.js';

const samplesDir = new URL('../../samples/', import.meta.url);

/** The bundled fixture events (samples/events.ndjson), one JSON text per entry. */
export function sampleEventLines(): string[] {
  return readFileSync(new URL('events.ndjson', samplesDir), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The bundled lookups (samples/lookups.json). */
export function sampleLookups(): Lookups {
  return createStaticLookups(parseStaticLookups(JSON.parse(readFileSync(new URL('lookups.json', samplesDir), 'utf8'))));
}

/**
 * `count` event lines cycling through the samples, each with its own timestamp (the fraction of
 * a second varies) so that every line is a distinct event.
 */
export function buildEventLines(count: number): string[] {
  const samples = sampleEventLines().map((line) => JSON.parse(line) as Record<string, unknown>);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = { ...(samples[i % samples.length] as Record<string, unknown>) };
    const micro = String(i % 1_000_000).padStart(6, '0');
    for (const key of ['timestamp', 'time']) {
      const value = event[key];
      if (typeof value === 'string') event[key] = value.replace(/\.\d+/, `.${micro}`);
    }
    lines.push(JSON.stringify(event));
  }
  return lines;
}
