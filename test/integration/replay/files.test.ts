import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { statementsOf, type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { counted, LOOKUPS, logLines, ndjson, runCli, scratch, type Scratch } from './support.js';

describe('replay of files, directories and globs', () => {
  let dir: Scratch;
  let lrs: FakeLrs;
  let reference: string[];

  before(async () => {
    dir = scratch();
    // 3 sources, plain and gzip, one in a sub-directory; 300 lines, every sample family.
    dir.file('logs/tracking.log', logLines(100, 0).join('\n') + '\n');
    dir.gz('logs/tracking.log-20240101.gz', logLines(100, 100).join('\n') + '\n');
    dir.gz('logs/old/tracking.log-20230101.gz', logLines(100, 200).join('\n') + '\n');
    lrs = await startFakeLrs();
    // What `transform` makes of the same lines: the replay must deliver exactly these.
    const transformed = await runCli([
      'transform',
      '--lookups',
      LOOKUPS,
      join(dir.path, 'logs/tracking.log'),
      join(dir.path, 'logs/old/tracking.log-20230101.gz'),
      join(dir.path, 'logs/tracking.log-20240101.gz'),
    ]);
    assert.equal(transformed.code, 0, transformed.stderr);
    reference = transformed.stdout.split('\n').filter(Boolean);
    assert.ok(reference.length > 300, `expected more than 300 statements, got ${reference.length}`);
  });
  after(async () => {
    await lrs.close();
    dir.remove();
  });

  it('delivers every statement once to an xAPI LRS, in batches, with the protocol and auth headers', async () => {
    const run = await runCli([
      'replay',
      join(dir.path, 'logs'),
      '--lookups',
      LOOKUPS,
      '--lrs-url',
      `${lrs.url}xapi`,
      '--lrs-auth',
      'basic:user:s3cret',
      '--batch-size',
      '50',
      '--checkpoint',
      join(dir.path, 'cp1.db'),
      '--no-progress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const posts = lrs.requests.filter((r) => r.method === 'POST');
    assert.ok(posts.length >= reference.length / 60, `${posts.length} requests`);
    for (const request of posts) {
      assert.equal(request.url, '/xapi/statements');
      assert.equal(request.headers['x-experience-api-version'], '1.0.3');
      assert.equal(request.headers['authorization'], `Basic ${Buffer.from('user:s3cret').toString('base64')}`);
      assert.ok(Array.isArray(request.body) && request.body.length <= 50 + 10, 'a batch may run over only by one line’s records');
    }
    const accepted = lrs.acceptedIds();
    assert.equal(accepted.length, reference.length, 'every statement exactly once');
    assert.deepEqual(new Set(accepted), new Set(reference.map((line) => String(JSON.parse(line).id))));
    assert.equal(counted(run.stderr, /sent ([\d,]+) in/), reference.length);
    assert.match(run.stderr, /3 of 3 sources completed/);
  });

  it('writes to a file exactly what `transform` writes, and the same again is a no-op thanks to checkpoints', async () => {
    const out = join(dir.path, 'out.ndjson');
    const args = [
      'replay',
      join(dir.path, 'logs/tracking.log'),
      join(dir.path, 'logs/old'),
      join(dir.path, 'logs/tracking.log-20240101.gz'),
      '--lookups',
      LOOKUPS,
      '--output',
      out,
      '--concurrency',
      '1',
      '--checkpoint',
      join(dir.path, 'cp2.db'),
      '--no-progress',
    ];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readFileSync(out, 'utf8').split('\n').filter(Boolean), reference);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /3 already replayed/);
    assert.equal(readFileSync(out, 'utf8').split('\n').filter(Boolean).length, reference.length, 'nothing appended');
  });

  it('expands a quoted glob, selects by time and event name, and writes to stdout', async () => {
    const run = await runCli([
      'replay',
      join(dir.path, 'logs/**/*.gz'),
      '--lookups',
      LOOKUPS,
      '--output',
      '-',
      '--workers',
      '0',
      '--since',
      '2001-01-01',
      '--until',
      '2003-01-01',
      '--events',
      'play_video,edx.video.*',
      '--no-progress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const records = ndjson(run.stdout);
    assert.ok(records.length > 0);
    for (const record of records) {
      const year = Number(String(record['timestamp']).slice(0, 4));
      assert.ok(year >= 2001 && year < 2003, `timestamp ${String(record['timestamp'])}`);
    }
    assert.match(run.stderr, /skipped outside_time_range: [\d,]+/);
    assert.match(run.stderr, /skipped event_not_selected: [\d,]+/);
    assert.match(run.stderr, /2 of 2 sources completed/, 'the glob matched the two .gz files only');
  });

  it('sends one Caliper envelope per batch', async () => {
    const caliper = await startFakeLrs();
    try {
      const run = await runCli([
        'replay',
        join(dir.path, 'logs/tracking.log'),
        '--format',
        'caliper',
        '--lookups',
        LOOKUPS,
        '--lrs-url',
        `${caliper.url}caliper`,
        '--lrs-auth',
        'bearer:tok',
        '--sensor',
        'http://lms.example/sensor',
        '--batch-size',
        '25',
        '--no-checkpoint',
        '--no-progress',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(caliper.requests.length > 1);
      for (const request of caliper.requests) {
        assert.equal(request.url, '/caliper');
        assert.equal(request.headers['authorization'], 'Bearer tok');
        const body = request.body as Record<string, unknown>;
        assert.deepEqual(Object.keys(body), ['sensor', 'sendTime', 'dataVersion', 'data']);
        assert.equal(body['sensor'], 'http://lms.example/sensor');
        assert.ok(statementsOf(body).length <= 35);
      }
      assert.equal(caliper.accepted().length, counted(run.stderr, /sent ([\d,]+) in/));
    } finally {
      await caliper.close();
    }
  });

  it('keeps to --rate (events per second)', async () => {
    const run = await runCli([
      'replay',
      join(dir.path, 'logs/tracking.log'),
      '--lookups',
      LOOKUPS,
      '--dry-run',
      '--rate',
      '50',
      '--batch-size',
      '10',
      '--no-progress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const records = counted(run.stderr, /into ([\d,]+) statements/);
    const seconds = counted(run.stderr, / in ([\d.]+) s \(/);
    // One second of tokens to start with, then 50 a second.
    assert.ok(records > 100 && seconds >= (records - 50) / 50 - 0.3, `${records} records in ${seconds} s`);
  });

  it('counts without sending in a dry run', async () => {
    const before = lrs.requests.length;
    const run = await runCli(['replay', join(dir.path, 'logs'), '--lookups', LOOKUPS, '--dry-run', '--no-progress']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lrs.requests.length, before);
    assert.match(run.stderr, new RegExp(`into ${reference.length.toLocaleString('en-US')} statements; sent none \\(dry run\\)`));
  });

  it('refuses unclear or wrong options before reading anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay', dir.path], /choose a destination/],
      [['replay', dir.path, '--dry-run', '--output', '-'], /choose one destination/],
      [['replay', join(dir.path, 'nope.log'), '--dry-run'], /cannot read .*nope\.log: ENOENT/],
      [['replay', join(dir.path, 'logs/*.zip'), '--dry-run'], /no files match/],
      [['replay', dir.path, '--dry-run', '--since', 'yesterday'], /--since must be an ISO 8601/],
      [['replay', dir.path, '--lrs-url', lrs.url, '--lrs-auth', 'token'], /--lrs-auth must be/],
      [['replay', dir.path, '--routers', '--data-dir', join(dir.path, 'no-routers')], /no enabled xapi router/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });
});
