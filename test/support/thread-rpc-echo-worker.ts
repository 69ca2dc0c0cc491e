import { parentPort } from 'node:worker_threads';
import { openThreadChannel, type ThreadChannel } from '../../src/core/thread-rpc.js';

/** What the echo thread answers and takes (src/core/thread-rpc.test.ts). */
export type EchoThreadSide = {
  requests: {
    echo: { args: string; reply: string };
    fail: { args: { message: string; code: string }; reply: never };
    measure: { args: Uint8Array; reply: number };
    /** Asks the main thread to double `args`, and answers with what it said. */
    askBack: { args: number; reply: number };
    /** Never answered. */
    hang: { args: undefined; reply: never };
    /** Exits the thread with this code instead of answering. */
    exit: { args: number; reply: never };
  };
  notes: { ping: { n: number } };
};

/** What the test's main thread answers and takes. */
export type EchoMainSide = {
  requests: { double: { args: number; reply: number } };
  notes: { pong: { n: number }; ready: undefined };
};

if (parentPort === null) throw new Error('must run in a worker thread');
const channel: ThreadChannel<EchoMainSide> = openThreadChannel<EchoThreadSide, EchoMainSide>(parentPort, {
  requests: {
    echo: (text) => text,
    fail: async ({ message, code }) => {
      throw Object.assign(new RangeError(message), { code });
    },
    measure: (bytes) => bytes.byteLength,
    askBack: (n) => channel.request('double', n),
    hang: () => new Promise<never>(() => undefined),
    exit: (code) => process.exit(code),
  },
  notes: {
    ping: ({ n }) => channel.notify('pong', { n: n + 1 }),
  },
});
channel.notify('ready');
