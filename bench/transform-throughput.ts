import { parseEventLine } from '../src/sources/tracking-log/line-parser.js';
import type { TransformContext } from '../src/transforms/shared/transform-settings.js';
import { transformEvent, type OutputFormat } from '../src/transforms/transform-event.js';
import { buildEventLines, sampleLookups } from './sample-events.js';

export interface ThroughputResult {
  events: number;
  floorPerSecond: number;
  transformPerSecond: number;
  records: number;
}

function bestOf(runs: number, work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

/**
 * Transform throughput in one process: JSON.parse of the input line, transform, JSON.stringify
 * of every output record; against the floor of JSON.parse + JSON.stringify of the same lines.
 */
export function measureTransformThroughput(format: OutputFormat, count = 100_000): ThroughputResult {
  const lines = buildEventLines(count);
  const ctx: TransformContext = {
    lmsUrl: 'http://localhost:18000',
    transformerVersion: 'edx-event-router@bench',
    ifiType: 'external_id',
    compat: 'valid',
    lookups: sampleLookups(),
  };
  let sink = 0;
  const floorSeconds = bestOf(3, () => {
    for (const line of lines) sink += JSON.stringify(JSON.parse(line)).length;
  });
  let records = 0;
  const transformSeconds = bestOf(3, () => {
    records = 0;
    for (const line of lines) {
      const parsed = parseEventLine(line);
      if (parsed.kind !== 'event') continue;
      const outcome = transformEvent(format, parsed.event, ctx);
      if (!outcome.ok) continue;
      for (const record of outcome.statements) sink += JSON.stringify(record).length;
      records += outcome.statements.length;
    }
  });
  if (sink < 0) console.log(sink);
  return { events: count, floorPerSecond: count / floorSeconds, transformPerSecond: count / transformSeconds, records };
}
