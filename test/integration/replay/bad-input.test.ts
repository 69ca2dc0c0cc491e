import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { lrsAccepts, type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { counted, LOOKUPS, logLines, ndjson, runCli, scratch, type Scratch } from './support.js';

describe('replay of damaged input', () => {
  let dir: Scratch;
  let lrs: FakeLrs;

  before(async () => {
    dir = scratch('replay-bad');
    lrs = await startFakeLrs();
  });
  after(async () => {
    await lrs.close();
    dir.remove();
  });

  it('reports a truncated gzip, binary junk and a half-written last line with their location, and delivers the rest', async () => {
    const whole = gzipSync(logLines(2000).join('\n') + '\n');
    dir.file('in/1-truncated.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    dir.file(
      'in/2-junk.log',
      Buffer.concat([Buffer.from(logLines(5).join('\n') + '\n'), randomBytes(4096), Buffer.from('\n' + logLines(5, 5).join('\n') + '\n')]),
    );
    dir.file('in/3-half-written.log', logLines(20).join('\n') + '\n' + (logLines(1, 20)[0] as string).slice(0, 150));
    const errors = join(dir.path, 'errors.ndjson');
    lrs.requests.length = 0;
    const run = await runCli([
      'replay',
      join(dir.path, 'in'),
      '--lookups',
      LOOKUPS,
      '--lrs-url',
      lrs.url,
      '--errors',
      errors,
      '--no-checkpoint',
      '--no-progress',
      '--concurrency',
      '3',
    ]);

    assert.equal(run.code, 1, 'a source that could not be read to its end fails the run');
    assert.match(run.stderr, /2 of 3 sources completed, 1 unreadable/);
    const records = ndjson(readFileSync(errors, 'utf8'));
    const truncated = records.find((r) => r['reason'] === 'unreadable_source');
    assert.ok(truncated, 'the truncated gzip is reported');
    assert.match(String(truncated['file']), /1-truncated\.log\.gz$/);
    assert.match(String(truncated['message']), /truncated gzip/);
    assert.ok(Number(truncated['line']) > 100, 'the lines before the truncation were read');
    assert.match(run.stderr, new RegExp(`1-truncated\\.log\\.gz:${String(truncated['line'])}: stopped reading: truncated gzip`));

    const junk = records.filter((r) => String(r['file']).endsWith('2-junk.log'));
    assert.ok(junk.length > 0 && junk.every((r) => r['reason'] === 'unparsable_line' && Number(r['line']) > 5));
    const half = records.find((r) => String(r['file']).endsWith('3-half-written.log'));
    assert.deepEqual([half?.['line'], half?.['reason']], [21, 'unparsable_line']);
    assert.match(String(half?.['message']), /half-written/);

    // Everything readable got in: the statements of the lines before the truncation, the 10 good
    // junk-file lines and the 20 complete lines of the half-written file.
    const sent = counted(run.stderr, /sent ([\d,]+) in/);
    assert.equal(lrs.acceptedIds().length, sent);
    assert.ok(sent > 100);
  });

  it('reports a file that disappears before its turn, and goes on with the next', async () => {
    const first = dir.file('vanish/a.log', logLines(50).join('\n') + '\n');
    const gone = dir.file('vanish/b.log', logLines(50, 50).join('\n') + '\n');
    dir.file('vanish/c.log', logLines(50, 100).join('\n') + '\n');
    lrs.requests.length = 0;
    let removed = false;
    lrs.respondWith((request, index) => {
      if (!removed) {
        unlinkSync(gone);
        removed = true;
      }
      return lrsAccepts(request, index);
    });
    const errors = join(dir.path, 'vanish-errors.ndjson');
    const run = await runCli([
      'replay',
      join(dir.path, 'vanish'),
      '--lookups',
      LOOKUPS,
      '--lrs-url',
      lrs.url,
      '--errors',
      errors,
      '--no-checkpoint',
      '--no-progress',
      '--concurrency',
      '1',
      '--batch-size',
      '10',
    ]);
    lrs.respondWith(lrsAccepts);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /b\.log:1: stopped reading: the file is gone \(ENOENT\)/);
    assert.match(run.stderr, /2 of 3 sources completed, 1 unreadable/);
    const record = ndjson(readFileSync(errors, 'utf8')).find((r) => r['reason'] === 'unreadable_source');
    assert.deepEqual([record?.['file'], record?.['line']], [gone, 1]);
    assert.ok(first.length > 0);
  });

  it('splits a batch the LRS refuses, reports the one bad statement and the one answered 409 with their lines, and delivers the others', async () => {
    const file = dir.file('reject/tracking.log', logLines(60).join('\n') + '\n');
    const reference = ndjson((await runCli(['replay', file, '--lookups', LOOKUPS, '--output', '-', '--no-progress', '--workers', '0'])).stdout);
    const badId = String(reference[17]?.['id']);
    const storedId = String(reference[30]?.['id']);
    lrs.requests.length = 0;
    lrs.respondWith((request, index) => {
      const ids = (request.body as Array<{ id: string }>).map((s) => s.id);
      if (ids.includes(badId)) return { status: 400, body: { error: 'bad statement' } };
      if (ids.includes(storedId)) return { status: 409 };
      return lrsAccepts(request, index);
    });
    const errors = join(dir.path, 'reject-errors.ndjson');
    const run = await runCli([
      'replay',
      file,
      '--lookups',
      LOOKUPS,
      '--lrs-url',
      lrs.url,
      '--batch-size',
      '100',
      '--errors',
      errors,
      '--no-checkpoint',
      '--no-progress',
    ]);
    lrs.respondWith(lrsAccepts);
    assert.equal(run.code, 1, 'a rejected statement fails the run');
    // (Some sample events make the same statement, hence sets.)
    const expected = new Set(reference.map((r) => String(r['id'])));
    expected.delete(badId);
    expected.delete(storedId);
    assert.deepEqual(new Set(lrs.acceptedIds()), expected);
    const records = ndjson(readFileSync(errors, 'utf8'));
    const conflicts = records.filter((r) => r['reason'] === 'destination_conflict');
    assert.deepEqual(
      conflicts.map((r) => r['message']),
      [`HTTP 409: the LRS holds another statement with id ${storedId}`],
    );
    assert.ok(Number(conflicts[0]?.['line']) >= 1 && Number(conflicts[0]?.['line']) <= 60);
    assert.equal(counted(run.stderr, /sent ([\d,]+)/), reference.length - 2);
    const rejected = records.filter((r) => r['reason'] === 'destination_rejected');
    assert.equal(rejected.length, 1);
    assert.match(String(rejected[0]?.['message']), /HTTP 400: .*bad statement/);
    assert.ok(Number(rejected[0]?.['line']) >= 1 && Number(rejected[0]?.['line']) <= 60);
    assert.match(run.stderr, /rejected by the destination:\n.*tracking\.log:\d+: HTTP 400/);
  });

  it('retries 5xx, 429 and dropped connections, then delivers', async () => {
    const file = dir.file('flaky/tracking.log', logLines(30).join('\n') + '\n');
    lrs.requests.length = 0;
    lrs.script({ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, { status: 200, destroy: true });
    const run = await runCli(['replay', file, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--no-checkpoint', '--no-progress', '--lrs-timeout', '5']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lrs.acceptedIds().length, counted(run.stderr, /sent ([\d,]+) in/));
    assert.ok(lrs.requests.length >= 4);
  });
});
