/**
 * The delivery process of the kill -9 scenario (kill-restart.test.ts spawns it):
 *   node kill-restart-child.js <sqlite file> <LRS url> <items to enqueue first>
 * It enqueues the numbered statements (when asked), delivers the outbox, and on SIGTERM shuts
 * down cleanly. SIGKILL is the point of the test.
 */
import { createDeliveryService } from '../../../src/delivery/delivery-service.js';
import { createSqliteQueue } from '../../../src/queue/sqlite/sqlite-queue.js';
import { fastRetryPolicy, numberedStatement, xapiRouter } from './scenario.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

const [path, lrsUrl, enqueueArg] = process.argv.slice(2);
if (!path || !lrsUrl) {
  process.stderr.write('usage: kill-restart-child <sqlite file> <LRS url> [count]\n');
  process.exit(2);
}
const count = Number(enqueueArg ?? '0');
const queue = await createSqliteQueue({ path });
const router = xapiRouter(lrsUrl);

if (count > 0) {
  const items = Array.from({ length: count }, (_, i) => {
    const payload = numberedStatement(i + 1);
    return { routerId: router.id, eventId: payload.id, eventName: 'edx.test', payload: JsonPayload.of(payload) };
  });
  const outcome = await queue.enqueue(items);
  if (!outcome.ok) {
    process.stderr.write(`enqueue overflowed: ${JSON.stringify(outcome)}\n`);
    process.exit(3);
  }
}

const service = createDeliveryService({
  queue,
  caliperSensor: 'http://lms.example',
  retryPolicy: fastRetryPolicy,
  maxInFlight: 4,
  idlePollMs: 100,
  http: { timeoutMs: 5000 },
  observer: {
    record(event) {
      if (event.type === 'worker_error') process.stderr.write(`worker error: ${event.error}\n`);
    },
  },
});
service.setRouters([router]);
await service.start();
process.stdout.write('started\n');

process.once('SIGTERM', () => {
  void service
    .shutdown(5000)
    .then(() => queue.close())
    .then(() => process.exit(0));
});
// Keep running until a signal ends the process: workers' timers are unref'd by design.
setInterval(() => {}, 60_000);
