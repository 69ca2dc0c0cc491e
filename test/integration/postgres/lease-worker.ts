/**
 * One delivery instance for multi-instance.test.ts, as its own process with its own pool:
 * leases batches from the shared outbox, "delivers" them (a line on stdout) and acks them, until
 * the outbox is empty. With `stallAfter` set it stops acking after that many batches and holds
 * its lease, so that the test can kill -9 it mid-lease.
 *
 * Prints `ready`, then starts on a line on stdin.
 * argv: <database url> <name> <lease ms> <stall after batches, 0 = never>
 */
import { createPostgresQueue } from '../../../src/queue/postgres/postgres-queue.js';

const [url, name, leaseText, stallText] = process.argv.slice(2);
const leaseMs = Number(leaseText);
const stallAfter = Number(stallText);
const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ w: name, ...line })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const queue = await createPostgresQueue({ connectionString: url, poolSize: 2 });
say({ t: 'ready' });
// Start together: wait for the test's "go" on stdin.
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
let batches = 0;
for (;;) {
  const leased = await queue.lease('r', 25, leaseMs);
  if (leased.length === 0) {
    if ((await queue.stats()).depth === 0) break;
    await sleep(20);
    continue;
  }
  const ids = leased.map((item) => item.eventId);
  const from = (leased[0]?.leaseUntil ?? 0) - leaseMs;
  say({ t: 'leased', ids, from, until: leased[0]?.leaseUntil });
  if (stallAfter > 0 && ++batches >= stallAfter) {
    say({ t: 'stalled', ids });
    // Holds the lease until killed.
    setInterval(() => undefined, 1000);
    await new Promise(() => undefined);
  }
  await sleep(2); // the HTTP request
  say({ t: 'delivered', ids, at: Date.now() });
  await queue.ack(leased.map((item) => item.id));
  say({ t: 'acked', ids, at: Date.now() });
}
await queue.close();
say({ t: 'done' });
