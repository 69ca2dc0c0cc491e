import { measureIdentityLookups } from './identity-lookups.js';
import { measureReplay } from './replay.js';
import { loadTransformerRegistry } from '../src/transforms/plugins/index.js';
import { measureTransformThroughput } from './transform-throughput.js';

/**
 * `npm run bench`: every capability with a speed goal, each printed with the ratio to a baseline
 * measured in the same run (never a timed assertion in a test).
 */
const only = process.argv.slice(2);
const wants = (name: string): boolean => only.length === 0 || only.includes(name);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// The registry the service runs when no plugin is configured (built-ins and the bundled ports).
const registry = await loadTransformerRegistry([], () => undefined);
for (const format of ['xapi', 'caliper'] as const) {
  if (!wants(format)) continue;
  const r = measureTransformThroughput(format, 120_000, registry);
  const ratio = r.floorPerSecond / r.transformPerSecond;
  console.log(
    `${format} transform: ${fmt(r.transformPerSecond)} events/s (${fmt(r.records)} records from ${fmt(r.events)} events); ` +
      `JSON floor ${fmt(r.floorPerSecond)} events/s; floor/transform = ${ratio.toFixed(2)}x (goal: within 2x)`,
  );
}

if (wants('identity')) {
  const r = await measureIdentityLookups();
  if (!r.ok) {
    console.log(`identity lookups: skipped (${r.reason})`);
  } else {
    const { result } = r;
    console.log(
      `identity lookups (MariaDB, ${fmt(result.users)} users, ${fmt(result.courses)} courses, batches of ${result.batchSize}): ` +
        `warm ${fmt(result.warmPerSecond)} events/s; cold ${fmt(result.coldPerSecond)} events/s; ` +
        `warm/cold = ${(result.warmPerSecond / result.coldPerSecond).toFixed(1)}x`,
    );
  }
}

if (wants('replay')) {
  const lines = Number(process.env['REPLAY_BENCH_LINES'] ?? 1_000_000);
  const r = await measureReplay(lines);
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
  console.log(
    `replay: ${fmt(r.lines)} tracking-log lines (${mb(r.gzipBytes)} MB gzip) → fake LRS (${fmt(r.statementsReceived)} statements) in ${r.seconds.toFixed(1)} s = ` +
      `${fmt(r.replayPerSecond)} events/s; peak RSS ${mb(r.peakRssBytes)} MB; transform-only ${fmt(r.transformPerSecond)} events/s (1 thread); ` +
      `replay/transform = ${(r.replayPerSecond / r.transformPerSecond).toFixed(2)}x (goal: under 60 s, peak RSS under 300 MB)`,
  );
}

if (wants('e2e')) {
  const { measureEndToEnd } = await import('./end-to-end.js');
  const transformOnly = measureTransformThroughput('xapi', 60_000).transformPerSecond;
  const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
  for (const synchronous of ['full', 'normal'] as const) {
    const r = await measureEndToEnd({ synchronous });
    console.log(
      `end-to-end (serve child process, HTTP NDJSON ×${r.settings.eventsPerRequest} → inbox → pipeline thread → SQLite outbox → batches of ${r.settings.batchSize} → local LRS; ` +
        `sqlite synchronous=${synchronous}): ${fmt(r.endToEndPerSecond)} events/s sustained over ${fmt(r.events)} events (${fmt(r.statements)} statements); ` +
        `ingest ${fmt(r.ingestPerSecond)} events/s; peak RSS ${mb(r.peakRssBytes)} (max RSS 1st half ${mb(r.rssFirstHalfBytes)}, 2nd half ${mb(r.rssSecondHalfBytes)}); ` +
        `503 retries ${r.retried503}; service CPU ${fmt(r.serviceCpuPerEventUs)} µs/event (client and LRS ${fmt(r.benchCpuPerEventUs)}); ` +
        `transform-only ${fmt(transformOnly)} events/s, end-to-end/transform = ${(r.endToEndPerSecond / transformOnly).toFixed(2)} (goal: ≥ 20,000 events/s)`,
    );
  }
}

if (wants('scale')) {
  const { measureScaleOut } = await import('./scale-out.js');
  const events = Number(process.env['BENCH_SCALE_EVENTS'] ?? 20_000);
  const r = await measureScaleOut(events);
  if (!r.ok) {
    console.log(`scale-out: skipped (${r.reason})`);
  } else {
    for (const run of r.runs) {
      console.log(
        `scale-out (Redis stream → ${run.instances} serve instance(s), PostgreSQL store → local LRS): ${fmt(run.perSecond)} events/s ` +
          `(${fmt(run.events)} events, ${fmt(run.statements)} statements in ${run.seconds.toFixed(1)} s)`,
      );
    }
    const [one, three] = r.runs;
    if (one && three) console.log(`scale-out: ${three.instances} instances / 1 instance = ${(three.perSecond / one.perSecond).toFixed(2)}x`);
  }
}
