import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, lrsAccepts, statementsOf, type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { counted, LOOKUPS, logLines, runCli, scratch, startCli, type Scratch } from './support.js';

/** Statement ids the reference run (`--output`) makes of a file, in order. */
async function referenceIds(dir: Scratch, file: string): Promise<string[]> {
  const run = await runCli(['replay', file, '--lookups', LOOKUPS, '--output', '-', '--no-progress', '--workers', '0']);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => String(JSON.parse(line).id));
}

describe('resuming a replay', () => {
  let dir: Scratch;
  let lrs: FakeLrs;

  before(async () => {
    dir = scratch('replay-resume');
    lrs = await startFakeLrs();
  });
  after(async () => {
    await lrs.close();
    dir.remove();
  });

  for (const kind of ['plain', 'gzip'] as const) {
    it(`continues a ${kind} file after the LRS went away, sending only what was not accepted`, async () => {
      const content = logLines(400).join('\n') + '\n';
      const file = kind === 'plain' ? dir.file(`resume/${kind}.log`, content) : dir.gz(`resume/${kind}.log.gz`, content);
      const ids = await referenceIds(dir, file);
      const checkpoint = join(dir.path, `${kind}.db`);
      const args = [
        'replay',
        file,
        '--lookups',
        LOOKUPS,
        '--lrs-url',
        lrs.url,
        '--batch-size',
        '40',
        '--checkpoint',
        checkpoint,
        '--no-progress',
        '--lrs-retry-for',
        '0',
      ];

      lrs.requests.length = 0;
      // The LRS takes the batches of the first 100 statements and fails every later one. Decided by
      // content, not by arrival: two batches are in flight at once and may arrive in either order.
      const position = new Map<string, number>();
      ids.forEach((id, i) => position.has(id) || position.set(id, i));
      const early = (request: Parameters<typeof lrsAccepts>[0]): boolean =>
        statementsOf(request.body).every((statement) => (position.get(idOf(statement)) ?? Infinity) < 100);
      lrs.respondWith((request, index) => (early(request) ? lrsAccepts(request, index) : { status: 503 }));
      const first = await runCli(args);
      assert.equal(first.code, 1, first.stderr);
      assert.match(first.stderr, /destination is unavailable: .*HTTP 503/);
      assert.match(first.stderr, /Run the same command again to resume/);
      const firstIds = lrs.acceptedIds();
      assert.ok(firstIds.length >= 80 && firstIds.length < ids.length, `${firstIds.length} accepted in the first run`);

      lrs.requests.length = 0;
      lrs.respondWith(lrsAccepts);
      const second = await runCli(args);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, /1 resumed from a checkpoint/);
      const secondIds = lrs.acceptedIds();
      // The batches in flight when the LRS failed were not accepted, so none is sent twice.
      assert.deepEqual([...firstIds, ...secondIds].sort(), [...ids].sort(), 'nothing lost, nothing sent twice');
    });
  }

  it('stops on Ctrl-C with the checkpoint of what was accepted, and the next run finishes the job', async () => {
    const file = dir.gz('interrupt/tracking.log.gz', logLines(600).join('\n') + '\n');
    const ids = await referenceIds(dir, file);
    const args = ['replay', file, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--batch-size', '30', '--checkpoint', join(dir.path, 'int.db'), '--no-progress'];
    lrs.requests.length = 0;
    lrs.respondWith(async (request, index) => ({ ...(await lrsAccepts(request, index)), delayMs: 100 }));
    const running = startCli(args);
    await lrs.waitFor(() => lrs.requests.length >= 4, 30_000, 'four batches');
    running.child.kill('SIGINT');
    const stopped = await running.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /Run the same command again/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const firstIds = lrs.acceptedIds();
    assert.ok(firstIds.length < ids.length);

    lrs.requests.length = 0;
    lrs.respondWith(lrsAccepts);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(new Set([...firstIds, ...lrs.acceptedIds()]), new Set(ids), 'nothing lost');
    // At most the three batches in flight at Ctrl-C are sent again (if the LRS stored them as we hung up);
    // a batch may run over by one line's records.
    assert.ok(firstIds.length + lrs.acceptedIds().length <= ids.length + 3 * 40, 'resumed, not restarted');
  });

  it('replays a file again when it changed, or with --restart; a finished one is skipped', async () => {
    const file = dir.file('changes/tracking.log', logLines(50).join('\n') + '\n');
    const args = ['replay', file, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--checkpoint', join(dir.path, 'changes.db'), '--no-progress'];
    lrs.requests.length = 0;
    assert.equal((await runCli(args)).code, 0);
    const all = lrs.acceptedIds().length;
    assert.ok(all > 0);

    lrs.requests.length = 0;
    const again = await runCli(args);
    assert.match(again.stderr, /1 already replayed/);
    assert.equal(lrs.requests.length, 0);

    appendFileSync(file, logLines(10, 50).join('\n') + '\n');
    const grown = await runCli(args);
    assert.equal(grown.code, 0, grown.stderr);
    assert.ok(lrs.acceptedIds().length > all, 'a changed file is a new source (repeats are harmless: same ids)');

    lrs.requests.length = 0;
    const restarted = await runCli([...args, '--restart']);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(counted(restarted.stderr, /sent ([\d,]+) in/), lrs.acceptedIds().length);
    assert.ok(lrs.requests.every((r) => statementsOf(r.body).length > 0));
  });
});
