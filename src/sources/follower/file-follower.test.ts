import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AppendOutcome, InboxInput } from '../../queue/inbox/port.js';
import { createFileFollower, type FileFollowerOptions } from './file-follower.js';
import { noopFollowObserver, type FollowObserver, type RotationKind } from './observer.js';
import type { ReadPosition, ReadPositionStore } from './read-position.js';

const dir = mkdtempSync(join(tmpdir(), 'file-follower-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** An in-memory position store with the inbox's contract: events and position together, refused beyond `maxDepth`. */
function memoryStore(maxDepth = Infinity): ReadPositionStore & { bodies: string[]; positions: Map<string, ReadPosition> } {
  const bodies: string[] = [];
  const positions = new Map<string, ReadPosition>();
  return {
    bodies,
    positions,
    async append(inputs: readonly InboxInput[], position?: ReadPosition): Promise<AppendOutcome> {
      if (inputs.length > 0 && bodies.length + inputs.length > maxDepth) {
        return { ok: false, reason: 'queue_overflow', depth: bodies.length, maxDepth };
      }
      for (const input of inputs) bodies.push(input.body);
      if (position) positions.set(position.path, position);
      return { ok: true, added: inputs.length, duplicates: 0 };
    },
    async readPositions() {
      return [...positions.values()];
    },
  };
}

interface Run {
  store: ReturnType<typeof memoryStore>;
  rotations: RotationKind[];
  stop(): Promise<void>;
}

function follow(path: string, store: ReturnType<typeof memoryStore>, options: Partial<FileFollowerOptions> = {}, observer: Partial<FollowObserver> = {}): Run {
  const rotations: RotationKind[] = [];
  const abort = new AbortController();
  const follower = createFileFollower({
    path,
    store,
    stored: store.positions.get(path),
    start: 'beginning',
    observer: { ...noopFollowObserver, rotated: (_p, kind) => rotations.push(kind), ...observer },
    onStored: () => undefined,
    pollMs: 5,
    maxLinesPerCommit: 3,
    retryMs: 5,
    ...options,
  });
  const done = follower.run(abort.signal);
  return {
    store,
    rotations,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `{"name":"e${from + i}"}\n`).join('');
const names = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `{"name":"e${from + i}"}`);
const fresh = (): string => join(dir, `f${++files}`, 'tracking.log');
const mkdir = (path: string): void => void mkdirSync(join(path, '..'), { recursive: true });

describe('file follower', () => {
  it('F01 reads a file in chunks and waits for a line still being written', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, `${lines(0, 7)}{"name":"e7"`);
    const run = follow(path, memoryStore());
    await until(() => run.store.bodies.length === 7, '7 lines');
    appendFileSync(path, '}\n');
    await until(() => run.store.bodies.length === 8, 'the finished line');
    await run.stop();
    assert.deepEqual(run.store.bodies, names(0, 8));
  });

  it('F02 rename and create: finishes the old file (unterminated last line too), then reads the new one', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, lines(0, 4));
    const run = follow(path, memoryStore());
    await until(() => run.store.bodies.length === 4, 'the first lines');
    appendFileSync(path, `${lines(4, 2)}{"name":"e6"}`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(7, 3));
    await until(() => run.store.bodies.length === 10, 'both files');
    await run.stop();
    assert.deepEqual(run.store.bodies, names(0, 10));
    assert.deepEqual(run.rotations, ['moved']);
  });

  it('F03 copytruncate: the same file shrinks, reading starts again at 0', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, lines(0, 5));
    const run = follow(path, memoryStore());
    await until(() => run.store.bodies.length === 5, 'the first lines');
    truncateSync(path, 0);
    await until(() => run.rotations.length === 1, 'the truncation');
    appendFileSync(path, lines(5, 2));
    await until(() => run.store.bodies.length === 7, 'the lines after truncation');
    await run.stop();
    assert.deepEqual(run.store.bodies, names(0, 7));
    assert.deepEqual(run.rotations, ['truncated']);
  });

  it('F04 a path that does not exist yet, then deletion and a new file', async () => {
    const path = fresh();
    mkdir(path);
    const run = follow(path, memoryStore(), { start: 'end' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(path, lines(0, 2));
    await until(() => run.store.bodies.length === 2, 'the new file, from its beginning');
    unlinkSync(path);
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(path, lines(2, 2));
    await until(() => run.store.bodies.length === 4, 'the file after deletion');
    await run.stop();
    assert.deepEqual(run.store.bodies, names(0, 4));
    assert.deepEqual(run.rotations, ['moved']);
  });

  it('F05 first run at the end: only lines written afterwards; the start is committed at once', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, lines(0, 3));
    const store = memoryStore();
    const run = follow(path, store, { start: 'end' });
    await until(() => store.positions.has(path), 'the start position');
    appendFileSync(path, lines(3, 2));
    await until(() => store.bodies.length === 2, 'the new lines');
    await run.stop();
    assert.deepEqual(store.bodies, names(3, 2));
  });

  it('F06 a restart resumes at the committed position, and finishes a file rotated while it was down', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, lines(0, 3));
    const store = memoryStore();
    let run = follow(path, store);
    await until(() => store.bodies.length === 3, 'the first lines');
    await run.stop();
    appendFileSync(path, lines(3, 2));
    renameSync(path, `${path}-20260101`);
    writeFileSync(path, lines(5, 2));
    const notices: string[] = [];
    run = follow(path, store, { start: 'end' }, { notice: (_p, message) => notices.push(message) });
    await until(() => store.bodies.length === 7, 'the rest of the rotated file, then the new one');
    await run.stop();
    assert.deepEqual(store.bodies, names(0, 7));
    assert.match(notices[0] ?? '', /tracking\.log-20260101/);
  });

  it('F07 waits while the inbox is full, and loses nothing', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, lines(0, 5));
    const store = memoryStore(4);
    const paused: boolean[] = [];
    const run = follow(path, store, {}, { paused: (_p, p) => paused.push(p) });
    await until(() => paused.includes(true), 'the pause');
    assert.equal(store.bodies.length, 3, 'the first chunk (3 lines) fits, the second not');
    const taken = store.bodies.splice(0, 3);
    await until(() => store.bodies.length === 2, 'the rest after room was made');
    await run.stop();
    assert.deepEqual([...taken, ...store.bodies], names(0, 5));
    assert.deepEqual(paused, [true, false]);
  });

  it('F08 skips and counts a line longer than the limit', async () => {
    const path = fresh();
    mkdir(path);
    writeFileSync(path, `${lines(0, 1)}${'x'.repeat(5000)}\n${lines(1, 1)}`);
    const dropped: number[] = [];
    const run = follow(path, memoryStore(), { readBytes: 1024, maxLineBytes: 2048 }, { dropped: (_p, _r, n) => dropped.push(n) });
    await until(() => run.store.bodies.length === 2, 'the lines around the long one');
    await run.stop();
    assert.deepEqual(run.store.bodies, names(0, 2));
    assert.deepEqual(dropped, [1]);
  });
});
