import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { createXapiValidator } from '../../../src/transforms/xapi/schema-validator.js';
import { checkCaliperEvent } from '../../../src/transforms/caliper/structural-check.js';
import { packageVersion } from '../../../src/config/package-version.js';
import { erbFixturesDir, repoRoot } from '../../support/paths.js';

// The real CLI, compiled next to this test (bin/ always loads dist/).
const entry = fileURLToPath(new URL('../control-plane/cli-entry.js', import.meta.url));
const samples = join(repoRoot(), 'samples');

function run(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [entry, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('edx-event-router transform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transform-cli-'));

  it('transforms the bundled samples to valid xAPI, with a summary on stderr', () => {
    const r = run(['transform', '--lookups', join(samples, 'lookups.json'), join(samples, 'events.ndjson')]);
    assert.equal(r.status, 0, r.stderr);
    const statements = lines(r.stdout).map((l) => JSON.parse(l) as object);
    assert.ok(statements.length >= 80, `got ${statements.length} statements`);
    const validator = createXapiValidator();
    for (const s of statements) assert.deepEqual(validator.check(s), []);
    assert.match(r.stderr, /^read 81 lines; transformed \d+ events into \d+ statements; skipped \d+/m);
    assert.match(r.stderr, /skipped unknown_user: \d+/);
    // The default transformer version names this package.
    const versions = new Set(
      statements.map(
        (s) => (s as { context: { extensions: Record<string, unknown> } }).context.extensions['https://w3id.org/xapi/openedx/extension/transformer-version'],
      ),
    );
    assert.deepEqual([...versions], [`edx-event-router@${packageVersion()}`]);
  });

  it('reads stdin, gzip files and tracking.log lines alike, and reports bad lines with their numbers', () => {
    const log = readFileSync(join(erbFixturesDir(), 'tracking.log'));
    const gz = join(dir, 'tracking.log.gz');
    writeFileSync(gz, gzipSync(log));
    const errors = join(dir, 'errors.ndjson');
    const fromFile = run(['transform', '--lookups', join(samples, 'lookups.json'), `--errors=${errors}`, gz]);
    const fromStdin = run(['transform', '--lookups', join(samples, 'lookups.json')], log);
    // `-` names standard input, as in UNIX tools.
    const fromDash = run(['transform', '--lookups', join(samples, 'lookups.json'), '-'], log);
    assert.equal(fromFile.status, 0, fromFile.stderr);
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromDash.status, 0, fromDash.stderr);
    assert.equal(fromFile.stdout, fromStdin.stdout);
    assert.equal(fromDash.stdout, fromStdin.stdout);
    assert.ok(lines(fromFile.stdout).length > 0);
    const records = lines(readFileSync(errors, 'utf8')).map((l) => JSON.parse(l) as { file: string; line: number; reason: string; message: string });
    for (const record of records) assert.equal(typeof record.message, 'string');
    const unparsable = records.filter((r) => r.reason === 'unparsable_line').map((r) => r.line);
    assert.deepEqual(unparsable, [3, 11]);
    for (const record of records) assert.equal(record.file, gz);
    // A line that is an event but yields nothing names the event.
    const unsupported = (records as Array<{ line: number; reason: string; name?: string }>).filter((r) => r.reason === 'unsupported_event');
    assert.deepEqual(
      unsupported.map((r) => r.line),
      [4, 8, 10],
    );
    assert.deepEqual(unsupported[1]?.name, 'problem_graded');
    assert.match(fromFile.stderr, /^read 12 lines; transformed 7 events into 7 statements; skipped 5$/m);
  });

  it('streams: its memory does not grow with the input', { timeout: 120_000 }, async (t) => {
    if (!existsSync('/proc/self/status')) {
      t.skip('no /proc to read the peak memory from');
      return;
    }
    // About 360 MB of events through stdin, generated as they are written; the output is dropped.
    const sample = readFileSync(join(samples, 'events.ndjson'), 'utf8').trimEnd() + '\n';
    const rounds = Math.ceil(360e6 / Buffer.byteLength(sample));
    const child = spawn(process.execPath, [entry, 'transform', '--lookups', join(samples, 'lookups.json')], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let peakKb = 0;
    const sampler = setInterval(() => {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (hwm !== undefined) peakKb = Math.max(peakKb, Number(hwm));
    }, 25);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < rounds; i++) {
      if (!child.stdin.write(sample)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
    // The last reading before exit: the peak is reached while the input streams through.
    await new Promise((resolve) => child.stderr.once('end', resolve));
    clearInterval(sampler);
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, new RegExp(`^read ${rounds * 81} lines`, 'm'));
    assert.ok(peakKb > 0, 'peak memory was read');
    assert.ok(peakKb < 200 * 1024, `peak RSS ${Math.round(peakKb / 1024)} MB for 360 MB of input`);
  });

  it('writes Caliper events, or one envelope per event with --envelope', () => {
    const events = run(['transform', '--format', 'caliper', '--lookups', join(samples, 'lookups.json'), join(samples, 'events.ndjson')]);
    assert.equal(events.status, 0, events.stderr);
    const parsed = lines(events.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(parsed.length > 20);
    for (const event of parsed) assert.deepEqual(checkCaliperEvent(event), []);
    const envelopes = run([
      'transform',
      '--format=caliper',
      '--envelope',
      '--sensor',
      'sensor@example.com',
      '--lookups',
      join(samples, 'lookups.json'),
      join(samples, 'events.ndjson'),
    ]);
    assert.equal(envelopes.status, 0, envelopes.stderr);
    const first = JSON.parse(lines(envelopes.stdout)[0] as string) as Record<string, unknown>;
    assert.equal(first['sensor'], 'sensor@example.com');
    assert.equal(first['dataVersion'], 'http://purl.imsglobal.org/ctx/caliper/v1p2');
    assert.ok(Array.isArray(first['data']));
  });

  it('--compat erb writes ERB log lines (Python json.dumps)', () => {
    const fixture = readFileSync(join(erbFixturesDir(), 'events', 'edx.course.enrollment.activated.json'), 'utf8');
    const r = run(
      ['transform', '--compat', 'erb', '--lookups', join(samples, 'lookups.json'), '--transformer-version', 'event-routing-backends@1.1.1'],
      JSON.stringify(JSON.parse(fixture)),
    );
    assert.equal(r.status, 0, r.stderr);
    const line = lines(r.stdout)[0] as string;
    assert.match(line, /^\{"id": "[0-9a-f-]{36}", "version": "1\.0\.3", "actor": \{"objectType": "Agent", "account": \{"name": /);
  });

  it('fails with a one-line message for bad options and unreadable files', () => {
    const missing = run(['transform', join(dir, 'nope.log')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.log/);
    const badFormat = run(['transform', '--format', 'json']);
    assert.equal(badFormat.status, 2);
    const badUrl = run(['transform', '--lms-url', 'ftp:/x'], '');
    assert.equal(badUrl.status, 2);
    assert.match(badUrl.stderr, /--lms-url/);
    const sensorAlone = run(['transform', '--format', 'caliper', '--sensor', 'http://sensor.example'], '');
    assert.equal(sensorAlone.status, 2);
    assert.match(sensorAlone.stderr, /--sensor goes with --envelope/);
    const help = run(['transform', '--help']);
    assert.match(help.stdout.replace(/\s+/g, ' '), /--errors <file> write one NDJSON record \{file, line, reason, name, message\}/);
  });
});

describe('edx-event-router transform and unknown learners', () => {
  const events = join(samples, 'events.ndjson');

  it('says after the summary why events were skipped as unknown_user, and how to get the service behaviour', () => {
    const r = run(['transform', events]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^ {2}skipped unknown_user: 81$/m);
    assert.match(
      r.stderr,
      /^note: 81 event\(s\) skipped as unknown_user \(no --lookups given\)\. serve would send them: .*pass --mint-ids for the service's behaviour\.$/m,
    );
    assert.match(run(['transform', '--help']).stdout, /--mint-ids[\s\S]*EVENT_ROUTER_MISSING_ID_POLICY=mint/);
  });

  it('--mint-ids gives each unknown learner one id for the run, as serve does', () => {
    const r = run(['transform', '--mint-ids', events]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /^note: /m);
    const statements = lines(r.stdout).map((l) => JSON.parse(l) as { actor: { account: { name: string } }; context: { extensions: Record<string, unknown> } });
    const known = lines(run(['transform', '--lookups', join(samples, 'lookups.json'), events]).stdout).map((l) => JSON.parse(l) as (typeof statements)[number]);
    assert.equal(statements.length, known.length, 'as many statements as with every learner known');
    // Statement i comes from the same event in both runs. The sample lookups give several users
    // one id, so a minted id (one per user) maps to exactly one looked-up id, not the reverse.
    const lookedUp = new Map<string, string>();
    statements.forEach((s, i) => {
      const id = known[i]?.actor.account.name ?? '';
      assert.equal(lookedUp.get(s.actor.account.name) ?? id, id, `statement ${i}: a minted id stands for one learner`);
      lookedUp.set(s.actor.account.name, id);
    });
    assert.ok(lookedUp.size >= new Set(lookedUp.values()).size && lookedUp.size > 1, `${lookedUp.size} minted ids`);
  });
});
