import { measureIdentityLookups } from './identity-lookups.js';
import { measureTransformThroughput } from './transform-throughput.js';

/**
 * `npm run bench`: every capability with a speed goal, each printed with the ratio to a baseline
 * measured in the same run (never a timed assertion in a test).
 */
const only = process.argv.slice(2);
const wants = (name: string): boolean => only.length === 0 || only.includes(name);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

for (const format of ['xapi', 'caliper'] as const) {
  if (!wants(format)) continue;
  const r = measureTransformThroughput(format, 120_000);
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
