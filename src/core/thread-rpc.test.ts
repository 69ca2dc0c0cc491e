import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { EchoMainSide, EchoThreadSide } from '../../test/support/thread-rpc-echo-worker.js';
import { openThreadChannel, type ThreadChannel } from './thread-rpc.js';

const WORKER = new URL('../../test/support/thread-rpc-echo-worker.js', import.meta.url);

interface Started {
  worker: Worker;
  channel: ThreadChannel<EchoThreadSide>;
  pongs: number[];
}

const started: Worker[] = [];

async function startEcho(): Promise<Started> {
  const worker = new Worker(WORKER);
  started.push(worker);
  const pongs: number[] = [];
  let readyNote!: () => void;
  const ready = new Promise<void>((resolve) => (readyNote = resolve));
  const channel = openThreadChannel<EchoMainSide, EchoThreadSide>(worker, {
    requests: { double: (n) => n * 2 },
    notes: {
      pong: ({ n }) => void pongs.push(n),
      ready: () => readyNote(),
    },
  });
  await ready;
  return { worker, channel, pongs };
}

describe('thread channel (real worker thread)', () => {
  afterEach(async () => {
    for (const worker of started.splice(0)) await worker.terminate();
  });

  it('T01 answers typed requests in either direction', async () => {
    const { channel } = await startEcho();
    const [echoed, doubled] = await Promise.all([channel.request('echo', 'héllo'), channel.request('askBack', 21)]);
    assert.equal(echoed, 'héllo');
    assert.equal(doubled, 42);
    assert.equal(channel.pending, 0);
  });

  it('T02 carries a handler error across with its name, message and code', async () => {
    const { channel } = await startEcho();
    await assert.rejects(channel.request('fail', { message: 'database or disk is full', code: 'SQLITE_FULL' }), (error: Error & { code?: string }) => {
      assert.equal(error.name, 'RangeError');
      assert.equal(error.message, 'database or disk is full');
      assert.equal(error.code, 'SQLITE_FULL');
      return true;
    });
    // The channel goes on after a failed request.
    assert.equal(await channel.request('echo', 'still here'), 'still here');
  });

  it('T03 sends one-way notes both ways, in order', async () => {
    const { channel, pongs } = await startEcho();
    for (let n = 0; n < 5; n += 1) channel.notify('ping', { n });
    // A reply is posted after the pongs of the pings sent before its request.
    await channel.request('echo', 'flush');
    assert.deepEqual(pongs, [1, 2, 3, 4, 5]);
  });

  it('T04 moves transferred memory without a copy', async () => {
    const { channel } = await startEcho();
    const bytes = new Uint8Array(64 * 1024).fill(7);
    const measured = channel.request('measure', bytes, [bytes.buffer]);
    // Detached at once: the sender's view is empty.
    assert.equal(bytes.byteLength, 0);
    assert.equal(await measured, 64 * 1024);
  });

  it('T05 rejects every waiting request when the thread exits, and later ones at once', async () => {
    const { worker, channel } = await startEcho();
    const hanging = channel.request('hang', undefined);
    const exiting = channel.request('exit', 3);
    const exited = once(worker, 'exit');
    await assert.rejects(hanging, /thread exited \(3\)/);
    await assert.rejects(exiting, /thread exited \(3\)/);
    await exited;
    assert.equal(channel.pending, 0);
    await assert.rejects(channel.request('echo', 'too late'), /thread exited \(3\)/);
    channel.notify('ping', { n: 1 });
  });

  it('T06 answers a request it has no handler for with an error', async () => {
    const { channel } = await startEcho();
    const untyped = channel as unknown as ThreadChannel<{ requests: { nothing: { args: number; reply: number } }; notes: Record<string, never> }>;
    await assert.rejects(untyped.request('nothing', 1), /no handler for request nothing/);
  });

  it('T07 rejects arguments that cannot cross a thread, leaving nothing waiting', async () => {
    const { channel } = await startEcho();
    const unclonable = (() => 'x') as unknown as string;
    await assert.rejects(channel.request('echo', unclonable), /could not be cloned/);
    assert.equal(channel.pending, 0);
  });

  it('T08 close rejects what waits with the reason given', async () => {
    const { channel } = await startEcho();
    const hanging = channel.request('hang', undefined);
    channel.close(new Error('stopping'));
    await assert.rejects(hanging, /stopping/);
    await assert.rejects(channel.request('echo', 'after'), /stopping/);
  });
});
