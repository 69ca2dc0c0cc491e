import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lrsAccepts, statementsOf, idOf, type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { counted, LOOKUPS, logLines, PREFIX, runCli, sampleEvents, scratch, type Scratch } from './support.js';

const eventName = (line: string): string => String((JSON.parse(line.slice(line.indexOf('{'))) as { name: string }).name);

/** Statement ids `transform` makes of these lines: what the routers must receive. */
async function idsOf(dir: Scratch, name: string, lines: readonly string[]): Promise<string[]> {
  const file = dir.file(`reference/${name}.log`, lines.join('\n') + '\n');
  const run = await runCli(['transform', '--lookups', LOOKUPS, file]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => String(JSON.parse(line).id));
}

/** `routers add` through the CLI; returns the new router's id. */
async function addRouter(dataDir: string, args: string[]): Promise<string> {
  const run = await runCli(['routers', 'add', '--data-dir', dataDir, ...args]);
  assert.equal(run.code, 0, run.stderr);
  return String(JSON.parse(run.stdout).id);
}

describe('replay to the configured routers (--routers)', () => {
  let dir: Scratch;
  let dataDir: string;
  let settings: string;
  let videos: FakeLrs;
  let everything: FakeLrs;
  let other: FakeLrs;
  let videoRouter: string;
  let allRouter: string;
  let caliperRouter: string;
  let disabledRouter: string;
  let lines: string[];
  let expectedAll: string[];
  let expectedVideos: string[];

  before(async () => {
    dir = scratch('replay-routers');
    dataDir = join(dir.path, 'data');
    [videos, everything, other] = await Promise.all([startFakeLrs(), startFakeLrs(), startFakeLrs()]);
    lines = logLines(300);
    dir.file('logs/a.log', lines.slice(0, 150).join('\n') + '\n');
    dir.gz('logs/b.log.gz', lines.slice(150).join('\n') + '\n');
    // The xAPI backend filter: forum events are not allowed, as serve would apply it.
    const allowed = [...new Set(lines.map(eventName))].filter((name) => !name.startsWith('edx.forum.'));
    settings = dir.file('settings.json', JSON.stringify({ EVENT_ROUTER_DATA_DIR: dataDir, EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS: allowed }));
    const passing = lines.filter((line) => !eventName(line).startsWith('edx.forum.'));
    expectedAll = await idsOf(dir, 'all', passing);
    expectedVideos = await idsOf(
      dir,
      'videos',
      passing.filter((line) => eventName(line).includes('video')),
    );
    assert.ok(expectedVideos.length > 0 && expectedVideos.length < expectedAll.length);

    videoRouter = await addRouter(dataDir, [
      '--backend',
      'xapi',
      '--url',
      `${videos.url}xapi/`,
      '--auth',
      'basic',
      '--username',
      'key',
      '--password',
      's3cret',
      '--configurations',
      JSON.stringify({
        match_params: { name: ['video'] },
        override_args: { authority: { objectType: 'Agent', name: 'replay', mbox: 'mailto:replay@example.com' } },
        headers: { 'X-Tenant': 'videos' },
      }),
    ]);
    allRouter = await addRouter(dataDir, ['--backend', 'xapi', '--url', `${everything.url}lrs`, '--auth', 'bearer', '--token', 'tok']);
    caliperRouter = await addRouter(dataDir, ['--backend', 'caliper', '--url', `${other.url}caliper`]);
    disabledRouter = await addRouter(dataDir, ['--backend', 'xapi', '--url', `${other.url}disabled/`, '--disabled']);
  });
  after(async () => {
    await Promise.all([videos.close(), everything.close(), other.close()]);
    dir.remove();
  });

  const reset = (): void => {
    for (const lrs of [videos, everything, other]) {
      lrs.requests.length = 0;
      lrs.respondWith(lrsAccepts);
    }
  };

  it('delivers each statement to every enabled router of the backend whose match_params match, with its URL, auth, headers and override_args', async () => {
    reset();
    const run = await runCli([
      'replay',
      join(dir.path, 'logs'),
      '--routers',
      '--config',
      settings,
      '--lookups',
      LOOKUPS,
      '--batch-size',
      '40',
      '--checkpoint',
      join(dir.path, 'cp-all.db'),
      '--no-progress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([...videos.acceptedIds()].sort(), [...expectedVideos].sort(), 'the video router: video events only, each once');
    assert.deepEqual([...everything.acceptedIds()].sort(), [...expectedAll].sort(), 'the other router: every allowed event, each once');
    assert.equal(other.requests.length, 0, 'neither the Caliper router nor the disabled one');
    for (const request of videos.requests) {
      assert.equal(request.url, '/xapi/statements');
      assert.equal(request.headers['authorization'], `Basic ${Buffer.from('key:s3cret').toString('base64')}`);
      assert.equal(request.headers['x-tenant'], 'videos');
      assert.equal(request.headers['x-experience-api-version'], '1.0.3');
      for (const statement of statementsOf(request.body)) {
        assert.deepEqual((statement as { authority?: unknown }).authority, { objectType: 'Agent', name: 'replay', mbox: 'mailto:replay@example.com' });
      }
    }
    for (const request of everything.requests) {
      assert.equal(request.url, '/lrs/statements');
      assert.equal(request.headers['authorization'], 'Bearer tok');
      assert.ok(statementsOf(request.body).length <= 50);
      for (const statement of statementsOf(request.body)) assert.equal((statement as { authority?: unknown }).authority, undefined);
    }
    assert.match(run.stderr, /skipped filtered: [1-9]/, 'forum events are counted as filtered');
    assert.equal(counted(run.stderr, /sent ([\d,]+) in/), expectedAll.length);
    assert.match(run.stderr, new RegExp(`router ${videoRouter} \\(${videos.url}xapi/\\): sent ${expectedVideos.length} in`));
    assert.match(run.stderr, new RegExp(`router ${allRouter} \\(${everything.url}lrs\\): sent ${expectedAll.length.toLocaleString('en-US')} in`));
    assert.doesNotMatch(run.stderr, /s3cret|Bearer tok/, 'no credentials in the output');
  });

  it('takes the routers named by --routers only, and counts events no router matches', async () => {
    reset();
    const run = await runCli([
      'replay',
      join(dir.path, 'logs/a.log'),
      '--routers',
      videoRouter.slice(0, 8),
      '--config',
      settings,
      '--lookups',
      LOOKUPS,
      '--no-checkpoint',
      '--no-progress',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(everything.requests.length, 0);
    assert.ok(videos.acceptedIds().length > 0);
    assert.ok(videos.acceptedIds().every((id) => expectedVideos.includes(id)));
    assert.match(run.stderr, /skipped no_matching_router: [1-9]/);
  });

  it('retries a router that fails for a while (5xx, timeouts) and reports what a router rejects, after splitting the batch', async () => {
    reset();
    const poisoned = expectedAll[7] as string;
    // The video router: down twice (503, then too slow), then fine.
    videos.script({ status: 503, headers: { 'retry-after': '0' } }, { status: 200, body: [], delayMs: 2500 });
    everything.respondWith((request, index) =>
      statementsOf(request.body).some((statement) => idOf(statement) === poisoned)
        ? { status: 400, body: { error: 'bad statement' } }
        : lrsAccepts(request, index),
    );
    const errors = join(dir.path, 'errors.ndjson');
    const run = await runCli([
      'replay',
      join(dir.path, 'logs'),
      '--routers',
      `${videoRouter},${allRouter}`,
      '--config',
      settings,
      '--lookups',
      LOOKUPS,
      '--batch-size',
      '40',
      '--lrs-timeout',
      '1',
      '--no-checkpoint',
      '--no-progress',
      '--errors',
      errors,
    ]);
    assert.equal(run.code, 1, 'a rejected statement makes the exit status 1');
    // Some sample events give the same statement twice (same id); retried requests may repeat some.
    assert.deepEqual(new Set(videos.acceptedIds()), new Set(expectedVideos), 'every video statement after the retries');
    assert.deepEqual([...everything.acceptedIds()].sort(), expectedAll.filter((id) => id !== poisoned).sort(), 'all but the rejected one');
    assert.ok(
      everything.requests.some((r) => statementsOf(r.body).length === 1 && idOf(statementsOf(r.body)[0]) === poisoned),
      'isolated by bisection',
    );
    assert.match(run.stderr, /skipped destination_rejected: 1\b/);
    assert.match(run.stderr, new RegExp(`rejected by the destination:\\n  .*: router ${allRouter} .*HTTP 400`));
    const records = readFileSync(errors, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(records.filter((r) => r['reason'] === 'destination_rejected').length, 1);
  });

  it('reports statements whose id another statement has, with figures per router that agree with the totals', async () => {
    reset();
    // The samples as they are: some share a learner and an instant, so ERB's id recipe gives different statements one id.
    const file = dir.file(
      'samples/tracking.log',
      sampleEvents()
        .map((event) => PREFIX + event)
        .join('\n') + '\n',
    );
    const errors = join(dir.path, 'conflict-errors.ndjson');
    const run = await runCli([
      'replay',
      file,
      '--routers',
      allRouter.slice(0, 8),
      '--config',
      settings,
      '--lookups',
      LOOKUPS,
      '--no-checkpoint',
      '--no-progress',
      '--errors',
      errors,
    ]);
    assert.equal(run.code, 1, run.stderr);
    const line = new RegExp(`router ${allRouter} \\(${everything.url}lrs\\): sent ([\\d,]+) in 1 batches, rejected ([\\d,]+) \\(([\\d,]+) conflicts\\)`).exec(
      run.stderr,
    );
    assert.ok(line, run.stderr);
    const [sent, rejected, conflicts] = line.slice(1).map((figure) => Number(figure.replace(/,/g, '')));
    assert.equal(counted(run.stderr, /sent ([\d,]+) in 1 batches/), sent);
    assert.equal(counted(run.stderr, /skipped destination_conflict: ([\d,]+)/), conflicts);
    assert.equal(rejected, conflicts);
    // `sent` counts a statement repeated in the logs each time; the LRS gets it once.
    assert.equal(new Set(everything.acceptedIds()).size, everything.acceptedIds().length, 'each id once');
    assert.ok(everything.acceptedIds().length <= (sent as number) && everything.acceptedIds().length > 0);
    const records = readFileSync(errors, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    assert.equal(records.filter((r) => r['reason'] === 'destination_conflict').length, conflicts);
    assert.ok((conflicts as number) > 0);
  });

  it('stops with a checkpoint when a router stays down, and the next run sends the rest', async () => {
    reset();
    const args = [
      'replay',
      join(dir.path, 'logs/a.log'),
      '--routers',
      '--config',
      settings,
      '--lookups',
      LOOKUPS,
      '--batch-size',
      '20',
      '--lrs-retry-for',
      '0',
      '--checkpoint',
      join(dir.path, 'cp-down.db'),
      '--no-progress',
      '--concurrency',
      '1',
    ];
    everything.respondWith(() => ({ status: 502 }));
    const first = await runCli(args);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, new RegExp(`destination is unavailable: router ${allRouter} .*HTTP 502`));
    everything.respondWith(lrsAccepts);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    const expectedA = await idsOf(
      dir,
      'a',
      lines.slice(0, 150).filter((line) => !eventName(line).startsWith('edx.forum.')),
    );
    assert.deepEqual(new Set(everything.acceptedIds()), new Set(expectedA));
  });

  it("builds statements as serve would, from the settings' LMS URL, lookups and transformer version; a typed flag still wins", async () => {
    reset();
    const serviceSettings = dir.file(
      'service.json',
      JSON.stringify({
        EVENT_ROUTER_DATA_DIR: dataDir,
        LMS_ROOT_URL: 'https://lms.example.org',
        EVENT_ROUTER_LOOKUPS_FILE: LOOKUPS,
        EVENT_ROUTER_TRANSFORMER_VERSION: 'site-replay@7',
        EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS: [...new Set(lines.map(eventName))],
      }),
    );
    const file = join(dir.path, 'logs/a.log');
    const fromSettings = await runCli(['replay', file, '--routers', allRouter, '--config', serviceSettings, '--no-checkpoint', '--no-progress']);
    assert.equal(fromSettings.code, 0, fromSettings.stderr);
    const expected = await runCli(['transform', '--lookups', LOOKUPS, '--lms-url', 'https://lms.example.org', '--transformer-version', 'site-replay@7', file]);
    const expectedStatements = expected.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string });
    const received = everything.requests.flatMap((request) => statementsOf(request.body)) as Array<{ id: string }>;
    // Some sample events give the same statement twice (same id): compared by id, each whole.
    const byId = (statements: Array<{ id: string }>): Map<string, unknown> => new Map(statements.map((s) => [s.id, s]));
    assert.ok(received.length > 0);
    assert.deepEqual(byId(received), byId(expectedStatements), "every statement, as transform makes it with the settings' LMS URL, lookups and version");
    assert.doesNotMatch(fromSettings.stderr, /note: replay resolves users/, 'identities are resolved as serve resolves them: nothing to warn of');

    reset();
    const typed = await runCli([
      'replay',
      file,
      '--routers',
      allRouter,
      '--config',
      serviceSettings,
      '--lms-url',
      'https://typed.example.org',
      '--no-checkpoint',
      '--no-progress',
    ]);
    assert.equal(typed.code, 0, typed.stderr);
    const objectIds = everything.requests.flatMap((request) => statementsOf(request.body)).map((s) => String((s as { object: { id: string } }).object.id));
    assert.ok(objectIds.length > 0 && objectIds.every((id) => !id.includes('lms.example.org')), 'the typed --lms-url wins over LMS_ROOT_URL');
    assert.ok(objectIds.some((id) => id.startsWith('https://typed.example.org')));
  });

  it('refuses routers it cannot use before reading anything', async () => {
    const other = dir.file('other.json', JSON.stringify({ EVENT_ROUTER_DATA_DIR: dataDir, XAPI_EVENTS_ENABLED: false }));
    writeFileSync(join(dir.path, 'empty.json'), JSON.stringify({ EVENT_ROUTER_DATA_DIR: join(dir.path, 'empty-data') }));
    const cases: Array<[string[], RegExp]> = [
      [['--routers', 'no-such-router', '--config', settings], /--routers: no router no-such-router/],
      [['--routers', caliperRouter, '--config', settings], /is a caliper router, not xapi/],
      [['--routers', disabledRouter, '--config', settings], /is disabled/],
      [['--routers', '--config', other], /XAPI_EVENTS_ENABLED is false/],
      [['--routers', '--config', join(dir.path, 'empty.json')], /no enabled xapi router/],
      [['--dry-run', '--config', settings], /--config and --data-dir go with --routers/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['replay', join(dir.path, 'logs'), '--lookups', LOOKUPS, '--no-progress', ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });
});
