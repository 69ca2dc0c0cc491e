import { createMemoryQueue } from '../../src/queue/memory/memory-queue.js';
import { runDeliveryQueueSuite } from './delivery-queue.suite.js';

runDeliveryQueueSuite('memory', (options) => {
  const queue = createMemoryQueue(options);
  return { queue, cleanup: () => queue.close() };
});
