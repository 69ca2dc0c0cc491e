import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';
import { counted, LOOKUPS, logLines, ndjson, PREFIX, runCli, sampleEvents, scratch, type Scratch } from './support.js';

/** What replay should make of `statements` sent in one batch: the first text of each id is sent. */
function expectation(statements: ReadonlyArray<Record<string, unknown>>): { first: Map<string, string>; sameBatchConflicts: number } {
  const first = new Map<string, string>();
  let sameBatchConflicts = 0;
  for (const statement of statements) {
    const id = String(statement['id']);
    const text = JSON.stringify(statement);
    const held = first.get(id);
    if (held === undefined) first.set(id, text);
    else if (held !== text) sameBatchConflicts += 1;
  }
  return { first, sameBatchConflicts };
}

/**
 * Replay against an LRS with Ralph's id rules (openedx-deployment.md §3): 400 for a request with
 * a repeated id, 409 (nothing stored) for an id stored with a different statement, 204 when
 * every statement was already stored unchanged.
 */
describe('replay to an LRS with Ralph’s id rules', () => {
  let dir: Scratch;
  let lrs: FakeLrs;

  before(async () => {
    dir = scratch('replay-ralph');
  });
  after(() => dir.remove());

  async function reference(file: string): Promise<Array<Record<string, unknown>>> {
    return ndjson((await runCli(['replay', file, '--lookups', LOOKUPS, '--output', '-', '--no-progress', '--workers', '0'])).stdout);
  }

  const replay = (file: string, errors: string): ReturnType<typeof runCli> =>
    runCli(['replay', file, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--batch-size', '1000', '--errors', errors, '--no-checkpoint', '--no-progress']);

  it('sends a statement repeated within a batch once, and reports a different statement with its id as a conflict', async () => {
    lrs = await startFakeLrs();
    try {
      // The samples as they are (several share a learner and an instant, so ERB's id recipe gives
      // different statements one id), every line twice, as in logs collected twice.
      const lines = sampleEvents().map((event) => PREFIX + event);
      const file = dir.file('repeats/tracking.log', lines.flatMap((line) => [line, line]).join('\n') + '\n');
      const statements = await reference(file);
      const { first, sameBatchConflicts } = expectation(statements);
      assert.ok(first.size * 2 <= statements.length, 'every statement is repeated');
      assert.ok(sameBatchConflicts > 0, 'some ids are given to different statements');
      const errors = join(dir.path, 'repeats-errors.ndjson');
      const run = await replay(file, errors);

      assert.deepEqual(
        lrs.requests.map((r) => r.status),
        [200],
        'one request, not split by a 400',
      );
      assert.deepEqual(new Map(lrs.stored), first);
      assert.equal(counted(run.stderr, /sent ([\d,]+) in 1 batches/), statements.length - sameBatchConflicts);
      const conflicts = ndjson(readFileSync(errors, 'utf8')).filter((r) => r['reason'] === 'destination_conflict');
      assert.equal(conflicts.length, sameBatchConflicts);
      for (const conflict of conflicts) assert.match(String(conflict['message']), /another statement with the same id/);
      assert.equal(counted(run.stderr, /skipped destination_conflict: ([\d,]+)/), sameBatchConflicts);
      assert.equal(run.code, sameBatchConflicts > 0 ? 1 : 0);
    } finally {
      await lrs.close();
    }
  });

  it('splits a batch answered 409, delivers its other statements and reports the stored id’s statement as a conflict', async () => {
    lrs = await startFakeLrs();
    try {
      const file = dir.file('conflict/tracking.log', logLines(60).join('\n') + '\n');
      const statements = await reference(file);
      const { first } = expectation(statements);
      // The LRS already holds a different statement under one of the ids.
      const taken = String(statements[20]?.['id']);
      const other = { ...JSON.parse(first.get(taken) as string), verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } };
      const seeded = await fetch(`${lrs.url}statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([other]) });
      assert.equal(seeded.status, 200);
      lrs.requests.length = 0;

      const errors = join(dir.path, 'conflict-errors.ndjson');
      const run = await replay(file, errors);

      assert.equal(lrs.requests[0]?.status, 409, 'the whole batch is refused first');
      assert.ok(
        lrs.requests.every((r) => r.status !== 400),
        'no request with a repeated id',
      );
      const expected = new Map(first);
      expected.set(taken, JSON.stringify(other));
      assert.deepEqual(new Map(lrs.stored), expected, 'every other statement is stored; the held one is left alone');
      const records = ndjson(readFileSync(errors, 'utf8'));
      const refused = statements.filter((s) => s['id'] === taken && JSON.stringify(s) === first.get(taken)).length;
      const by409 = records.filter(
        (r) => r['reason'] === 'destination_conflict' && /^HTTP 409: the LRS holds another statement with id /.test(String(r['message'])),
      );
      assert.equal(by409.length, refused);
      assert.ok(by409.every((r) => String(r['message']).endsWith(taken)));
      const conflicts = records.filter((r) => r['reason'] === 'destination_conflict').length;
      assert.equal(counted(run.stderr, /sent ([\d,]+) in 1 batches/), statements.length - conflicts);
      assert.match(run.stderr, /rejected by the destination[^\n]*:\n(?:.*\n)*.*tracking\.log:\d+: HTTP 409: the LRS holds another statement/);
      assert.equal(run.code, 1);
    } finally {
      await lrs.close();
    }
  });

  it('takes a 204 with an empty body (every statement already stored) as delivered', async () => {
    lrs = await startFakeLrs();
    try {
      const file = dir.file('again/tracking.log', logLines(30).join('\n') + '\n');
      const firstRun = await replay(file, join(dir.path, 'again-errors-1.ndjson'));
      const stored = new Map(lrs.stored);
      lrs.requests.length = 0;
      const secondRun = await replay(file, join(dir.path, 'again-errors-2.ndjson'));

      assert.deepEqual(
        lrs.requests.map((r) => r.status),
        [204],
      );
      assert.deepEqual(new Map(lrs.stored), stored);
      assert.equal(secondRun.code, firstRun.code);
      assert.equal(counted(secondRun.stderr, /sent ([\d,]+)/), counted(firstRun.stderr, /sent ([\d,]+)/));
      const errors = join(dir.path, 'again-errors-2.ndjson');
      if (existsSync(errors)) assert.doesNotMatch(readFileSync(errors, 'utf8'), /HTTP 409/);
    } finally {
      await lrs.close();
    }
  });
});
