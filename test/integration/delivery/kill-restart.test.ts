import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createSqliteQueue } from '../../../src/queue/sqlite/sqlite-queue.js';
import { idOf, lrsAccepts, startFakeLrs } from '../../fakes/fake-lrs.js';
import { numberedStatement, scratchDir, statementId } from './scenario.js';

const CHILD = fileURLToPath(new URL('./kill-restart-child.js', import.meta.url));
const ITEMS = 10_000;

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function spawnChild(args: string[]): Child {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, exited, stderr: () => stderr };
}

describe('kill -9 in the middle of delivery, then restart on the same SQLite file', () => {
  const dir = scratchDir('kill-restart');
  const children: Child[] = [];
  after(() => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    dir.remove();
  });

  it('delivers every statement; repeats carry the same id and content', { timeout: 120_000 }, async (t) => {
    // Slow answers keep several batches in flight at the moment of the kill.
    const lrs = await startFakeLrs(async (request, index) => ({ ...(await lrsAccepts(request, index)), delayMs: 15 }));
    try {
      const db = join(dir.path, 'outbox.sqlite');
      const first = spawnChild([db, lrs.url, String(ITEMS)]);
      children.push(first);
      await lrs.waitFor(
        () => lrs.accepted().length >= 3000 || first.process.exitCode !== null,
        60_000,
        `3000 statements from the first process (stderr: ${first.stderr()})`,
      );
      first.process.kill('SIGKILL');
      const killed = await first.exited;
      assert.equal(killed.signal, 'SIGKILL', `the first process ended on its own: ${first.stderr()}`);
      const beforeRestart = lrs.accepted().length;
      assert.ok(beforeRestart < ITEMS, 'killed before everything was delivered');

      const second = spawnChild([db, lrs.url, '0']);
      children.push(second);
      const expected = new Set(Array.from({ length: ITEMS }, (_, i) => statementId(i + 1)));
      const seen = new Set<string>();
      await lrs.waitFor(
        () => {
          for (const id of lrs.acceptedIds()) seen.add(id);
          return seen.size >= ITEMS;
        },
        90_000,
        `all ${ITEMS} statements after the restart (have ${seen.size}; stderr: ${second.stderr()})`,
      );
      second.process.kill('SIGTERM');
      const stopped = await second.exited;
      assert.equal(stopped.code, 0, `clean shutdown: ${second.stderr()}`);

      const accepted = lrs.accepted();
      for (const statement of accepted) {
        const id = idOf(statement);
        assert.ok(expected.has(id), `unknown statement id ${id}`);
        const n = Number.parseInt(id.slice(-12), 16);
        assert.ok(isDeepStrictEqual(statement, numberedStatement(n)), `statement ${id} changed on the way`);
      }
      assert.deepEqual(seen, expected);

      const queue = await createSqliteQueue({ path: db });
      const stats = await queue.stats();
      await queue.close();
      assert.equal(stats.depth, 0, 'the outbox is empty');
      assert.equal(stats.deadLetters, 0);
      // At least once: only what was leased at the kill (4 batches of 50 in flight) may come twice.
      const repeats = accepted.length - ITEMS;
      t.diagnostic(`${beforeRestart} delivered before the kill, ${repeats} delivered twice`);
      assert.ok(repeats <= 4 * 50, `${repeats} repeats`);
    } finally {
      await lrs.close();
    }
  });
});
