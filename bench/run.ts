import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureIdentityLookups } from './identity-lookups.js';
import { measureReplay } from './replay.js';
import { loadTransformerRegistry } from '../src/transforms/plugins/index.js';
import { measureTransformThroughput } from './transform-throughput.js';
import { RESULTS_FILE, writeResults } from './results-file.js';

/**
 * `npm run bench`: every capability with a speed goal, each printed with the ratio to a baseline
 * measured in the same run (never a timed assertion in a test). Names pick benchmarks;
 * `--write` also writes what was printed, with the machine and the command, to bench/RESULTS.md.
 */
const args = process.argv.slice(2);
const write = args.includes('--write');
const only = args.filter((arg) => arg !== '--write');
const started = new Date();
const loadAtStart = loadavg();
const figures: string[] = [];
const print = (line: string): void => {
  console.log(line);
  figures.push(line);
};
const wants = (name: string): boolean => only.length === 0 || only.includes(name);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// The registry the service runs when no plugin is configured (built-ins and the bundled ports).
const registry = await loadTransformerRegistry([], () => undefined);
for (const format of ['xapi', 'caliper'] as const) {
  if (!wants(format)) continue;
  const r = measureTransformThroughput(format, 120_000, registry);
  const ratio = r.floorPerSecond / r.transformPerSecond;
  print(
    `${format} transform: ${fmt(r.transformPerSecond)} events/s (${fmt(r.records)} records from ${fmt(r.events)} events); ` +
      `JSON floor ${fmt(r.floorPerSecond)} events/s; floor/transform = ${ratio.toFixed(2)}x (goal: within 2x)`,
  );
}

if (wants('identity')) {
  const r = await measureIdentityLookups();
  if (!r.ok) {
    print(`identity lookups: skipped (${r.reason})`);
  } else {
    const { result } = r;
    print(
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
  print(
    `replay: ${fmt(r.lines)} tracking-log lines (${mb(r.gzipBytes)} MB gzip) → fake LRS (${fmt(r.statementsReceived)} statements) in ${r.seconds.toFixed(1)} s = ` +
      `${fmt(r.replayPerSecond)} events/s; peak RSS ${mb(r.peakRssBytes)} MB; transform-only ${fmt(r.transformPerSecond)} events/s (1 thread); ` +
      `replay/transform = ${(r.replayPerSecond / r.transformPerSecond).toFixed(2)}x (goal: under 60 s, peak RSS under 300 MB)`,
  );
}

if (wants('ingest-abuse')) {
  const { measureIngestAbuse } = await import('./ingest-abuse.js');
  const r = await measureIngestAbuse();
  const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;
  const beside = r.besideSlowMs === null ? `refused (${r.besideSlowStatus.join(', ')})` : `${r.besideSlowMs.toFixed(0)} ms`;
  const ratio = r.besideSlowMs === null ? 'n/a' : `${(r.besideSlowMs / r.aloneMs).toFixed(2)}x`;
  const bound = r.baseRssBytes + r.budgetBytes + 10 * r.bodyLimitBytes;
  print(
    `ingest under abuse: a normal POST takes ${r.aloneMs.toFixed(0)} ms alone, ${beside} beside 100 slow uploads (beside/alone = ${ratio}; goal: accepted); ` +
      `${r.largeRequests} concurrent POSTs of ${mib(r.largeBodyBytes)}: ${JSON.stringify(r.largeAnswers)}, peak RSS ${mib(r.peakRssBytes)} ` +
      `(base ${mib(r.baseRssBytes)} + body budget ${mib(r.budgetBytes)} + 10 × body limit = ${mib(bound)}; peak/bound = ${(r.peakRssBytes / bound).toFixed(2)}, goal: ≤ 1)`,
  );
}

if (only.includes('follow')) {
  // Only when asked for by name: it writes and sends the same lines twice.
  const { measureFollow } = await import('./follow.js');
  const lines = Number(process.env['FOLLOW_BENCH_LINES'] ?? 200_000);
  const r = await measureFollow(lines);
  print(
    `follow: ${fmt(r.lines)} tracking-log lines → fake LRS (${fmt(r.statements)} statements): consume --follow ${fmt(r.followPerSecond)} lines/s (${r.followSeconds.toFixed(1)} s); ` +
      `replay ${fmt(r.replayPerSecond)} lines/s (${r.replaySeconds.toFixed(1)} s); follow/replay = ${(r.followPerSecond / r.replayPerSecond).toFixed(2)}x (aim: at least 0.5)`,
  );
}

if (wants('e2e')) {
  const { measureEndToEnd } = await import('./end-to-end.js');
  const transformOnly = measureTransformThroughput('xapi', 60_000).transformPerSecond;
  const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
  for (const synchronous of ['full', 'normal'] as const) {
    const r = await measureEndToEnd({ synchronous });
    print(
      `end-to-end (serve child process, HTTP NDJSON ×${r.settings.eventsPerRequest} → inbox → pipeline thread → SQLite outbox → batches of ${r.settings.batchSize} → local LRS; ` +
        `sqlite synchronous=${synchronous}): ${fmt(r.endToEndPerSecond)} events/s sustained over ${fmt(r.events)} events (${fmt(r.statements)} statements); ` +
        `ingest ${fmt(r.ingestPerSecond)} events/s; peak RSS ${mb(r.peakRssBytes)} (max RSS 1st half ${mb(r.rssFirstHalfBytes)}, 2nd half ${mb(r.rssSecondHalfBytes)}); ` +
        `503 retries ${r.retried503}; service CPU ${fmt(r.serviceCpuPerEventUs)} µs/event (client and LRS ${fmt(r.benchCpuPerEventUs)}); ` +
        `transform-only ${fmt(transformOnly)} events/s, end-to-end/transform = ${(r.endToEndPerSecond / transformOnly).toFixed(2)} (goal: ≥ 20,000 events/s)`,
    );
  }
}

if (wants('faults')) {
  // The LRS misbehaving, against `serve` on its delivery defaults: goodput (statements per second from
  // the first POST to the last statement) as a ratio to the healthy run of this sitting.
  const { measureEndToEnd } = await import('./end-to-end.js');
  const events = Number(process.env['BENCH_FAULTS_EVENTS'] ?? 20_000);
  const base = { events, deliveryDefaults: true } as const;
  const healthy = await measureEndToEnd(base);
  const seconds = (r: { events: number; endToEndPerSecond: number }): number => r.events / r.endToEndPerSecond;
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  console.log(
    `faults: healthy LRS: ${fmt(healthy.statements)} statements from ${fmt(events)} events in ${seconds(healthy).toFixed(1)} s ` +
      `(${fmt(healthy.statements / seconds(healthy))} statements/s); within 10 s of enqueue ${pct(healthy.deliveredWithin10s)}`,
  );
  for (const failRatio of [0.05, 0.3]) {
    const r = await measureEndToEnd({ ...base, failRatio });
    console.log(
      `faults: ${failRatio * 100} % of requests answered 503 (${fmt(r.refused503)}): all ${fmt(r.statements)} statements in ${seconds(r).toFixed(1)} s; ` +
        `goodput/healthy = ${(seconds(healthy) / seconds(r)).toFixed(2)} (goal: ≥ ${failRatio < 0.1 ? '0.80' : '0.40'}); ` +
        `within 10 s of enqueue ${pct(r.deliveredWithin10s)}; dead letters ${r.deadLettered}`,
    );
  }
  const outages = (process.env['BENCH_FAULTS_OUTAGES'] ?? '20').split(',').map(Number);
  for (const outage of outages) {
    const r = await measureEndToEnd({ ...base, outageMs: outage * 1000 });
    console.log(
      `faults: LRS refusing connections until ${outage} s after the last event was accepted: ${r.requestsPerSecondWhileDown.toFixed(2)} requests/s while down; ` +
        `backlog of ${fmt(r.statements)} delivered ${(r.recoveryMs / 1000).toFixed(1)} s after it came back (goal: ≤ 10 s); ` +
        `recovery/healthy run = ${(r.recoveryMs / 1000 / seconds(healthy)).toFixed(2)}; dead letters ${r.deadLettered}`,
    );
  }
}

if (wants('faults-soak')) {
  // A steady stream for BENCH_SOAK_MINUTES (default 10) to an LRS answering 30 % of requests 503.
  const { measureEndToEnd } = await import('./end-to-end.js');
  const minutes = Number(process.env['BENCH_SOAK_MINUTES'] ?? 10);
  const perSecond = Number(process.env['BENCH_SOAK_EVENTS_PER_SECOND'] ?? 100);
  const r = await measureEndToEnd({
    events: Math.round(minutes * 60 * perSecond),
    eventsPerRequest: 100,
    concurrency: 1,
    pacedPerSecond: perSecond,
    failRatio: 0.3,
    deliveryDefaults: true,
  });
  console.log(
    `faults-soak: ${minutes} min at ${perSecond} events/s, 30 % of requests answered 503 (${fmt(r.refused503)}): ` +
      `all ${fmt(r.statements)} statements delivered ${(r.events / r.endToEndPerSecond).toFixed(0)} s after the first event; ` +
      `within 10 s of enqueue ${(r.deliveredWithin10s * 100).toFixed(1)} %; dead letters ${r.deadLettered} (goal: 0)`,
  );
}

if (wants('scale')) {
  const { measureScaleOut } = await import('./scale-out.js');
  const events = Number(process.env['BENCH_SCALE_EVENTS'] ?? 20_000);
  const r = await measureScaleOut(events);
  if (!r.ok) {
    print(`scale-out: skipped (${r.reason})`);
  } else {
    for (const run of r.runs) {
      print(
        `scale-out (Redis stream → ${run.instances} serve instance(s), PostgreSQL store → local LRS): ${fmt(run.perSecond)} events/s ` +
          `(${fmt(run.events)} events, ${fmt(run.statements)} statements in ${run.seconds.toFixed(1)} s)`,
      );
    }
    const [one, three] = r.runs;
    if (one && three) print(`scale-out: ${three.instances} instances / 1 instance = ${(three.perSecond / one.perSecond).toFixed(2)}x`);
  }
}

if (write) {
  writeResults({ started, args, loadAtStart, figures });
  console.log(`wrote ${fileURLToPath(RESULTS_FILE)}`);
}
