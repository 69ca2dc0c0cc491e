import { createMemoryInbox } from '../../src/queue/inbox/memory-inbox.js';
import { runInboxSuite } from './inbox.suite.js';

runInboxSuite('memory', async (options) => ({ inbox: createMemoryInbox(options), cleanup: async () => undefined }));
