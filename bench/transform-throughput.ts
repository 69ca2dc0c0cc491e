import { parseEventLine } from '../src/sources/tracking-log/line-parser.js';
import type { TransformerRegistry } from '../src/transforms/plugins/index.js';
import { createTransformContext, type TransformContext } from '../src/transforms/shared/transform-settings.js';
import { transformEvent, type OutputFormat } from '../src/transforms/transform-event.js';
import { buildEventLines, sampleLookups } from './sample-events.js';

export interface ThroughputResult {
  events: number;
  floorPerSecond: number;
  transformPerSecond: number;
  records: number;
}

function timed(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Best times of the two workloads, run alternately so machine load affects both alike. */
function bestOfAlternating(rounds: number, a: () => void, b: () => void): [number, number] {
  let bestA = Infinity;
  let bestB = Infinity;
  for (let i = 0; i < rounds; i++) {
    bestA = Math.min(bestA, timed(a));
    bestB = Math.min(bestB, timed(b));
  }
  return [bestA, bestB];
}

/**
 * Transform throughput in one process: JSON.parse of the input line, transform, JSON.stringify
 * of every output record; against the floor of JSON.parse + JSON.stringify of the same lines.
 */
export function measureTransformThroughput(format: OutputFormat, count = 100_000, registry?: TransformerRegistry): ThroughputResult {
  const lines = buildEventLines(count);
  const ctx: TransformContext = createTransformContext({
    lmsUrl: 'http://localhost:18000',
    transformerVersion: 'edx-event-router@bench',
    ifiType: 'external_id',
    compat: 'valid',
    lookups: sampleLookups(),
    ...(registry !== undefined ? { registry } : {}),
  });
  let sink = 0;
  let records = 0;
  const floor = (): void => {
    for (const line of lines) sink += JSON.stringify(JSON.parse(line)).length;
  };
  const transform = (): void => {
    records = 0;
    for (const line of lines) {
      const parsed = parseEventLine(line);
      if (parsed.kind !== 'event') continue;
      const outcome = transformEvent(format, parsed.event, ctx);
      if (!outcome.ok) continue;
      for (const record of outcome.statements) sink += JSON.stringify(record).length;
      records += outcome.statements.length;
    }
  };
  const [floorSeconds, transformSeconds] = bestOfAlternating(9, floor, transform);
  if (sink < 0) console.log(sink);
  return { events: count, floorPerSecond: count / floorSeconds, transformPerSecond: count / transformSeconds, records };
}
