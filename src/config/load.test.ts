import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processorsFor } from './backend-processors.js';
import { formatIssue } from './issues.js';
import { loadSettings, type LoadOutcome } from './load.js';
import { redactSettings, SECRET_SETTINGS } from './redact.js';

const dir = mkdtempSync(join(tmpdir(), 'edx-router-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function ok(outcome: LoadOutcome): Extract<LoadOutcome, { ok: true }> {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.map(formatIssue).join('\n'));
  return outcome;
}

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    const { settings, sources } = ok(loadSettings({ env: {} }));
    assert.equal(settings.XAPI_EVENTS_ENABLED, true);
    assert.equal(settings.CALIPER_EVENTS_ENABLED, false);
    assert.equal(settings.XAPI_AGENT_IFI_TYPE, 'external_id');
    assert.equal(settings.EVENT_ROUTING_BACKEND_BATCHING_ENABLED, true);
    assert.equal(settings.EVENT_ROUTING_BACKEND_BATCH_SIZE, 100);
    assert.equal(settings.EVENT_ROUTING_BACKEND_BATCH_INTERVAL, 1);
    assert.equal(settings.EVENT_ROUTING_BACKEND_MAX_RETRIES, 3);
    assert.equal(settings.EVENT_ROUTING_BACKEND_COUNTDOWN, 30);
    assert.deepEqual(settings.EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS, [
      'edx.course.enrollment.activated',
      'edx.course.enrollment.deactivated',
      'edx.course.grade.passed.first_time',
    ]);
    assert.equal(settings.EVENT_ROUTER_HOST, '127.0.0.1');
    assert.equal(settings.EVENT_ROUTER_PORT, 8080);
    assert.equal(settings.EVENT_ROUTER_COMPAT, 'valid');
    assert.match(settings.EVENT_ROUTER_TRANSFORMER_VERSION, /^edx-event-router@\d+\.\d+\.\d+/);
    assert.ok(settings.EVENT_ROUTER_DATA_DIR.endsWith('/data'));
    assert.equal(sources.EVENT_ROUTER_PORT, 'default');
    assert.deepEqual(settings.EVENT_ROUTER_FOLLOW, []);
    assert.equal(settings.EVENT_ROUTER_FOLLOW_START, 'end');
    assert.equal(settings.EVENT_ROUTER_IDENTITY_LMS_WRITE, false);
  });

  it('precedence: CLI flags > env > file > defaults', () => {
    const config = file('prec.yaml', 'EVENT_ROUTER_PORT: 1000\nEVENT_ROUTER_HOST: 0.0.0.0\nXAPI_EVENTS_ENABLED: false\n');
    const env = { EVENT_ROUTER_PORT: '2000', EVENT_ROUTER_HOST: '::1' };
    const all = ok(loadSettings({ configFile: config, env, flags: { EVENT_ROUTER_PORT: '3000' } }));
    assert.equal(all.settings.EVENT_ROUTER_PORT, 3000);
    assert.equal(all.sources.EVENT_ROUTER_PORT, 'flag');
    assert.equal(all.settings.EVENT_ROUTER_HOST, '::1');
    assert.equal(all.sources.EVENT_ROUTER_HOST, 'env');
    assert.equal(all.settings.XAPI_EVENTS_ENABLED, false);
    assert.equal(all.sources.XAPI_EVENTS_ENABLED, 'file');
    assert.equal(ok(loadSettings({ configFile: config, env })).settings.EVENT_ROUTER_PORT, 2000);
    assert.equal(ok(loadSettings({ configFile: config, env: {} })).settings.EVENT_ROUTER_PORT, 1000);
  });

  it('reads environment text: Python booleans, comma or JSON lists, JSON objects', () => {
    const { settings } = ok(
      loadSettings({
        env: {
          XAPI_EVENTS_ENABLED: 'False',
          CALIPER_EVENTS_ENABLED: 'True',
          EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS: 'problem_check, showanswer',
          EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS: '["a.b"]',
          EVENT_ROUTER_BACKEND_PROCESSORS:
            '{"caliper":[{"ENGINE":"eventtracking.processors.regex_filter.RegexFilter","OPTIONS":{"filter_type":"blocklist","regular_expressions":["^edx\\\\.forum\\\\."]}}]}',
          LMS_ROOT_URL: 'https://lms.example.com/',
          EVENT_ROUTER_BATCH: '',
        },
      }),
    );
    assert.equal(settings.XAPI_EVENTS_ENABLED, false);
    assert.equal(settings.CALIPER_EVENTS_ENABLED, true);
    assert.deepEqual(settings.EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS, ['problem_check', 'showanswer']);
    assert.deepEqual(settings.EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS, ['a.b']);
    assert.deepEqual(settings.EVENT_ROUTER_BACKEND_PROCESSORS.caliper, [
      { engine: 'RegexFilter', filterType: 'blocklist', regularExpressions: ['^edx\\.forum\\.'] },
    ]);
    assert.equal(settings.LMS_ROOT_URL, 'https://lms.example.com');
    assert.equal(settings.EVENT_ROUTER_CALIPER_SENSOR, 'https://lms.example.com', 'the sensor defaults to the LMS URL');
  });

  it("reads ERB's seed processor form from YAML, and appends the allow-list setting", () => {
    const config = file(
      'processors.yaml',
      [
        'EVENT_ROUTER_BACKEND_PROCESSORS:',
        '  xapi:',
        '    - ENGINE: eventtracking.processors.whitelist.NameWhitelistProcessor',
        '      OPTIONS:',
        '        whitelist: [problem_check, showanswer]',
        '  caliper:',
        '    - ENGINE: RegexFilter',
        '      OPTIONS:',
        "        regular_expressions: ['edx\\.video\\.']",
        'EVENT_TRACKING_BACKENDS_ALLOWED_CALIPER_EVENTS: [edx.video.played]',
      ].join('\n'),
    );
    const { settings } = ok(loadSettings({ configFile: config, env: {} }));
    assert.deepEqual(processorsFor(settings, 'xapi'), [{ engine: 'NameWhitelistProcessor', whitelist: ['problem_check', 'showanswer'] }]);
    assert.deepEqual(processorsFor(settings, 'caliper'), [
      { engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['edx\\.video\\.'] },
      { engine: 'NameWhitelistProcessor', whitelist: ['edx.video.played'] },
    ]);
  });

  it('reads JSON files', () => {
    const { settings } = ok(loadSettings({ configFile: file('s.json', '{"EVENT_ROUTING_BACKEND_BATCH_SIZE": 7}'), env: {} }));
    assert.equal(settings.EVENT_ROUTING_BACKEND_BATCH_SIZE, 7);
  });

  it('reads the access lists from the environment and refuses a trusted proxy that is not an address or range', () => {
    const ok = loadSettings({ env: { EVENT_ROUTER_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1, fd00::/8', EVENT_ROUTER_ALLOWED_HOSTS: '.example.com' } });
    assert.ok(ok.ok);
    if (!ok.ok) return;
    assert.deepEqual(ok.settings.EVENT_ROUTER_TRUSTED_PROXIES, ['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
    assert.deepEqual(ok.settings.EVENT_ROUTER_ALLOWED_HOSTS, ['.example.com']);
    const bad = loadSettings({ env: { EVENT_ROUTER_TRUSTED_PROXIES: 'proxy.internal, 10.0.0.0/33' } });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.equal(bad.errors.map(formatIssue).filter((line) => /EVENT_ROUTER_TRUSTED_PROXIES.*must be an IP address or a CIDR range/.test(line)).length, 2);
  });

  it('lists every error at once, each with its path and source', () => {
    const config = file(
      'broken.yaml',
      [
        'XAPI_EVENTS_ENABLED: maybe',
        'EVENT_ROUTING_BACKEND_BATCH_SIZE: 0',
        'XAPI_AGENT_IFI_TYPE: email',
        'XAPI_EVENT_LOGING_ENABLED: true',
        'EVENT_ROUTER_BACKEND_PROCESSORS:',
        '  xapi:',
        '    - ENGINE: RegexFilter',
        '      OPTIONS:',
        "        regular_expressions: ['ok', '(', 'a(?=b)']",
      ].join('\n'),
    );
    const outcome = loadSettings({ configFile: config, env: { EVENT_ROUTER_PORT: 'eighty' } });
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    const lines = outcome.errors.map(formatIssue);
    const expected = [
      /broken\.yaml: XAPI_EVENT_LOGING_ENABLED: unknown setting \(did you mean XAPI_EVENT_LOGGING_ENABLED\?\)/,
      /environment: EVENT_ROUTER_PORT: expected a number, got "eighty"/,
      /broken\.yaml: XAPI_EVENTS_ENABLED: .*boolean/,
      /broken\.yaml: EVENT_ROUTING_BACKEND_BATCH_SIZE: .*>=1/,
      /broken\.yaml: XAPI_AGENT_IFI_TYPE: .*"external_id"\|"mbox"\|"mbox_sha1sum"/,
      /EVENT_ROUTER_BACKEND_PROCESSORS\.xapi\[0\]\.OPTIONS\.regular_expressions\[1\]: invalid regular expression "\("/,
      /EVENT_ROUTER_BACKEND_PROCESSORS\.xapi\[0\]\.OPTIONS\.regular_expressions\[2\]: .*lookahead/,
    ];
    assert.equal(lines.length, expected.length, lines.join('\n'));
    for (const pattern of expected)
      assert.ok(
        lines.some((line) => pattern.test(line)),
        `${pattern} in\n${lines.join('\n')}`,
      );
  });

  it('reports YAML syntax errors and a non-mapping file', () => {
    const syntax = loadSettings({ configFile: file('bad.yaml', 'A: [1,\nB: {'), env: {} });
    assert.ok(!syntax.ok && syntax.errors.every((e) => /not valid YAML/.test(e.message)));
    const list = loadSettings({ configFile: file('list.yaml', '- 1\n'), env: {} });
    assert.ok(!list.ok && /mapping/.test(list.errors[0]?.message ?? ''));
    const missing = loadSettings({ configFile: join(dir, 'nope.yaml'), env: {} });
    assert.ok(!missing.ok && /cannot read/.test(missing.errors[0]?.message ?? ''));
  });

  it('warns about EVENT_ROUTER_* variables that are no setting', () => {
    const { warnings } = ok(loadSettings({ env: { EVENT_ROUTER_PROT: '1' } }));
    assert.match(warnings.join('\n'), /EVENT_ROUTER_PROT is not a setting \(did you mean EVENT_ROUTER_PORT\?\)/);
  });

  it('starts with a retired setting in a file or the environment, and says what replaced it', () => {
    const fromFile = ok(loadSettings({ configFile: file('old.json', '{"EVENT_ROUTER_RETRY_MAX_DELAY": 300}'), env: {} }));
    assert.match(fromFile.warnings.join('\n'), /EVENT_ROUTER_RETRY_MAX_DELAY is no longer read: EVENT_ROUTING_BACKEND_COUNTDOWN/);
    const fromEnv = ok(loadSettings({ env: { EVENT_ROUTER_RETRY_MAX_DELAY: '300' } }));
    assert.match(fromEnv.warnings.join('\n'), /EVENT_ROUTER_RETRY_MAX_DELAY is no longer read/);
    const typo = loadSettings({ configFile: file('typo.json', '{"EVENT_ROUTER_RETRY_MAX_DELAYS": 300}'), env: {} });
    assert.equal(typo.ok, false, 'an unknown name is still refused');
  });

  it('checks settings that depend on each other, and derives dependent defaults', () => {
    const mintWithoutStore = loadSettings({ env: { EVENT_ROUTER_IDENTITY_SOURCES: 'lookups-file', EVENT_ROUTER_MISSING_ID_POLICY: 'mint' } });
    assert.ok(!mintWithoutStore.ok);
    assert.match(mintWithoutStore.errors.map(formatIssue).join('\n'), /EVENT_ROUTER_MISSING_ID_POLICY: mint needs local-store/);
    const lms = loadSettings({ env: { EVENT_ROUTER_IDENTITY_SOURCES: 'lms-database', EVENT_ROUTER_COURSE_NAME_SOURCES: 'lms-api' } });
    assert.ok(!lms.ok);
    assert.equal(lms.errors.length, 3, lms.errors.map(formatIssue).join('\n'));
    assert.equal(ok(loadSettings({ env: { EVENT_ROUTER_IDENTITY_SOURCES: 'lookups-file' } })).settings.EVENT_ROUTER_MISSING_ID_POLICY, 'drop');
    assert.equal(ok(loadSettings({ env: {} })).settings.EVENT_ROUTER_MISSING_ID_POLICY, 'mint');
    const api = ok(
      loadSettings({
        env: {
          LMS_ROOT_URL: 'https://lms/',
          EVENT_ROUTER_COURSE_NAME_SOURCES: 'lms-api',
          EVENT_ROUTER_LMS_API_CLIENT_ID: 'id',
          EVENT_ROUTER_LMS_API_CLIENT_SECRET: 'secret',
        },
      }),
    );
    assert.equal(api.settings.EVENT_ROUTER_LMS_API_URL, 'https://lms');
    const writeWithoutLms = loadSettings({ env: { EVENT_ROUTER_IDENTITY_LMS_WRITE: 'true' } });
    assert.ok(!writeWithoutLms.ok);
    assert.match(writeWithoutLms.errors.map(formatIssue).join('\n'), /EVENT_ROUTER_IDENTITY_LMS_WRITE: needs lms-database/);
  });

  it('freezes the result', () => {
    const { settings } = ok(loadSettings({ env: {} }));
    assert.ok(Object.isFrozen(settings));
    assert.ok(Object.isFrozen(settings.EVENT_TRACKING_BACKENDS_BUSINESS_CRITICAL_EVENTS));
    assert.ok(Object.isFrozen(settings.EVENT_ROUTER_BACKEND_PROCESSORS.xapi));
    assert.throws(() => {
      (settings as { EVENT_ROUTER_PORT: number }).EVENT_ROUTER_PORT = 1;
    }, TypeError);
  });

  it('marks the admin token and the encryption key secret, and redacts them', () => {
    assert.deepEqual([...SECRET_SETTINGS].sort(), [
      'DATABASE_URL',
      'EVENT_ROUTER_ADMIN_TOKEN',
      'EVENT_ROUTER_BUS_URL',
      'EVENT_ROUTER_INGEST_TOKEN',
      'EVENT_ROUTER_LMS_API_CLIENT_SECRET',
      'EVENT_ROUTER_LMS_DATABASE_URL',
      'EVENT_ROUTER_SECRET_KEY',
    ]);
    const token = 'a-very-secret-admin-token';
    const key = 'ab'.repeat(32);
    const { settings } = ok(loadSettings({ env: { EVENT_ROUTER_ADMIN_TOKEN: token, EVENT_ROUTER_SECRET_KEY: key } }));
    const shown = JSON.stringify(redactSettings(settings));
    assert.ok(!shown.includes(token) && !shown.includes(key));
    assert.match(shown, /"EVENT_ROUTER_ADMIN_TOKEN":"\[redacted\]"/);
  });
});
