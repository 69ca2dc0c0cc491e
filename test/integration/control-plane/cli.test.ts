import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openControlPlaneDatabase } from '../../../src/storage/database.js';
import { createSqlRouterStore } from '../../../src/storage/sql-router-store.js';
import { CALIPER_SAMPLE, CALIPER_SAMPLE_VIEW, cleanEnv, runCli, startServe, tempDir, XAPI_SAMPLE } from './support.js';

/** The real CLI in a child process, on real files. */
const dir = tempDir();
after(() => dir.remove());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

describe('config check / show', () => {
  it('lists every error of a broken file at once, with paths, and exits non-zero', async () => {
    const file = write(
      'broken.yaml',
      [
        'XAPI_EVENTS_ENABLED: perhaps',
        'EVENT_ROUTING_BACKEND_BATCH_SIZE: -1',
        'EVENT_ROUTING_BACKEND_BATCH_INTERVAL: soon',
        'XAPI_AGENT_IFI_TYPE: email',
        'LMS_ROOT_URL: not a url',
        'CALIPER_EVENTS_ENABLE: true',
        'EVENT_ROUTER_BACKEND_PROCESSORS:',
        '  xapi:',
        '    - ENGINE: RegexFilter',
        '      OPTIONS: { filter_type: denylist, regular_expressions: ["("] }',
      ].join('\n'),
    );
    const result = await runCli(['config', 'check', file]);
    assert.equal(result.code, 1, result.stderr);
    const expected = [
      'XAPI_EVENTS_ENABLED',
      'EVENT_ROUTING_BACKEND_BATCH_SIZE',
      'EVENT_ROUTING_BACKEND_BATCH_INTERVAL',
      'XAPI_AGENT_IFI_TYPE',
      'LMS_ROOT_URL',
      'CALIPER_EVENTS_ENABLE: unknown setting (did you mean CALIPER_EVENTS_ENABLED?)',
      'EVENT_ROUTER_BACKEND_PROCESSORS.xapi[0].OPTIONS.filter_type',
      'EVENT_ROUTER_BACKEND_PROCESSORS.xapi[0].OPTIONS.regular_expressions[0]: invalid regular expression "("',
    ];
    for (const text of expected) assert.ok(result.stderr.includes(`broken.yaml: ${text}`), `missing "${text}" in:\n${result.stderr}`);
    assert.match(result.stderr, /8 errors in the settings/);
  });

  it('accepts a valid file', async () => {
    const file = write('good.yaml', 'LMS_ROOT_URL: https://lms.example.com\nCALIPER_EVENTS_ENABLED: true\n');
    const result = await runCli(['config', 'check', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /good\.yaml: OK/);
  });

  it('reports a file that does not parse', async () => {
    const result = await runCli(['config', 'check', write('syntax.json', '{"LMS_ROOT_URL": ')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /syntax\.json: not valid JSON/);
  });

  it('shows the effective settings with their sources, secrets redacted', async () => {
    const file = write('show.yaml', 'EVENT_ROUTER_PORT: 9000\nLMS_ROOT_URL: https://lms.example.com\n');
    const env = cleanEnv({ EVENT_ROUTER_ADMIN_TOKEN: 'super-secret-admin-token', EVENT_ROUTER_HOST: '0.0.0.0' });
    const result = await runCli(['config', 'show', '--config', file], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes('super-secret-admin-token'));
    assert.match(result.stdout, /EVENT_ROUTER_ADMIN_TOKEN: "?\[redacted\]"?\s+# from environment/);
    assert.match(result.stdout, /EVENT_ROUTER_PORT: 9000\s+# from .*show\.yaml/);
    assert.match(result.stdout, /EVENT_ROUTER_HOST: 0\.0\.0\.0\s+# from environment/);
    assert.match(result.stdout, /EVENT_ROUTER_CALIPER_SENSOR: https:\/\/lms\.example\.com/);
    const json = await runCli(['config', 'show', '--config', file, '--json'], { env });
    assert.equal(JSON.parse(json.stdout).EVENT_ROUTER_ADMIN_TOKEN, '[redacted]');
  });

  it('warns about a missing LMS_ROOT_URL in config check, not in config show', async () => {
    const file = write('no-lms.yaml', 'EVENT_ROUTER_PORT: 9000\n');
    const check = await runCli(['config', 'check', file]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /warning: LMS_ROOT_URL is not set: it is required to transform events/);
    const show = await runCli(['config', 'show', '--config', file]);
    assert.equal(show.code, 0, show.stderr);
    assert.doesNotMatch(show.stderr, /LMS_ROOT_URL/);
  });
});

describe('routers add / list / update / remove', () => {
  const dataDir = join(dir.path, 'data-add');
  const token = 'cli-bearer-TOKEN-123';

  it('loads both samples unchanged', async () => {
    const tokenFile = write('token.txt', `${token}\n`);
    const caliper = await runCli([
      'routers',
      'add',
      '--data-dir',
      dataDir,
      '--backend',
      'caliper',
      '--url',
      'https://caliper.example.com/',
      '--auth',
      'bearer',
      '--token-file',
      tokenFile,
      '--configurations',
      JSON.stringify(CALIPER_SAMPLE),
    ]);
    assert.equal(caliper.code, 0, caliper.stderr);
    assert.match(caliper.stderr, /warning: configurations\.match_params\.course_id: .*context\.course_id/);
    const xapi = await runCli([
      'routers',
      'add',
      '--data-dir',
      dataDir,
      '--backend',
      'xAPI',
      '--url',
      'https://lrs.example.com/xAPI/',
      '--configurations-file',
      write('xapi.json', JSON.stringify(XAPI_SAMPLE)),
    ]);
    assert.equal(xapi.code, 0, xapi.stderr);
    const list = await runCli(['routers', 'list', '--data-dir', dataDir, '--json']);
    const routers = JSON.parse(list.stdout) as Array<{ backend: string; configurations: unknown; hasToken: boolean }>;
    assert.equal(JSON.stringify(routers.find((r) => r.backend === 'caliper')?.configurations), JSON.stringify(CALIPER_SAMPLE_VIEW));
    assert.equal(JSON.stringify(routers.find((r) => r.backend === 'xapi')?.configurations), JSON.stringify(XAPI_SAMPLE));
    assert.equal(routers.find((r) => r.backend === 'caliper')?.hasToken, true);
    for (const output of [caliper.stdout, caliper.stderr, list.stdout]) assert.ok(!output.includes(token));
    const table = await runCli(['routers', 'list', '--data-dir', dataDir]);
    assert.match(table.stdout, /^ID\s+BACKEND\s+STATE\s+AUTH\s+URL\s+\[MATCH_PARAMS\]\n/);
    assert.match(table.stdout, /caliper\s+enabled\s+bearer\s+https:\/\/caliper\.example\.com\/\s+\[course_id,name\]/);
    // Listing routers transforms nothing: no word about LMS_ROOT_URL.
    assert.doesNotMatch(table.stderr, /LMS_ROOT_URL/);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    [
      'an invalid regex',
      ['--backend', 'xapi', '--url', 'https://r1/', '--configurations', '{"match_params":{"name":"(a)\\\\1"}}'],
      /configurations\.match_params\.name: .*backreference/,
    ],
    ['an unknown auth scheme', ['--backend', 'xapi', '--url', 'https://r2/', '--auth', 'ntlm'], /--auth: unknown auth scheme "ntlm"/],
    ['bearer without a token', ['--backend', 'xapi', '--url', 'https://r3/', '--auth', 'bearer'], /token: is required for bearer auth/],
    [
      'malformed configurations JSON',
      ['--backend', 'xapi', '--url', 'https://r4/', '--configurations', '{"match_params":'],
      /configurations: is not valid JSON/,
    ],
  ];
  for (const [title, args, message] of refusals) {
    it(`refuses ${title}, naming the field; nothing stored`, async () => {
      const result = await runCli(['routers', 'add', '--data-dir', dataDir, ...args]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /router refused, nothing stored/);
      const list = await runCli(['routers', 'list', '--data-dir', dataDir, '--json']);
      assert.equal(JSON.parse(list.stdout).length, 2);
    });
  }

  it('updates by id prefix and removes', async () => {
    const list = JSON.parse((await runCli(['routers', 'list', '--data-dir', dataDir, '--json'])).stdout) as Array<{ id: string; backend: string }>;
    const xapi = list.find((r) => r.backend === 'xapi');
    assert.ok(xapi);
    const updated = await runCli([
      'routers',
      'update',
      xapi.id.slice(0, 8),
      '--data-dir',
      dataDir,
      '--disable',
      '--auth',
      'basic',
      '--username',
      'u',
      '--password',
      'pw-SECRET-77',
    ]);
    assert.equal(updated.code, 0, updated.stderr);
    const view = JSON.parse(updated.stdout) as { enabled: boolean; hasPassword: boolean; configurations: unknown };
    assert.equal(view.enabled, false);
    assert.equal(view.hasPassword, true);
    assert.equal(JSON.stringify(view.configurations), JSON.stringify(XAPI_SAMPLE));
    assert.ok(!updated.stdout.includes('pw-SECRET-77'));
    const removed = await runCli(['routers', 'remove', xapi.id, '--data-dir', dataDir]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(JSON.parse((await runCli(['routers', 'list', '--data-dir', dataDir, '--json'])).stdout).length, 1);
    assert.equal((await runCli(['routers', 'remove', xapi.id, '--data-dir', dataDir])).code, 2);
  });
});

describe('routers import (ERB rows)', () => {
  const dataDir = join(dir.path, 'data-import');
  const rows = [
    {
      id: 1,
      backend_name: 'Caliper',
      route_url: 'https://caliper.example.com/',
      auth_scheme: 'Bearer',
      auth_key: 'erb-TOKEN-1',
      username: null,
      password: null,
      enabled: true,
      configurations: JSON.stringify(CALIPER_SAMPLE),
    },
    {
      id: 2,
      backend_name: 'xAPI',
      route_url: 'http://ralph:8100/xAPI/',
      auth_scheme: 'Basic',
      auth_key: null,
      username: 'ralph',
      password: 'erb-PASSWORD-2',
      enabled: true,
      configurations: XAPI_SAMPLE,
    },
    {
      id: 3,
      backend_name: 'XAPI',
      route_url: 'http://old:8100/xAPI/',
      auth_scheme: null,
      auth_key: null,
      username: null,
      password: null,
      enabled: false,
      configurations: null,
    },
  ];

  it('imports both samples unchanged, secrets encrypted', async () => {
    const result = await runCli(['routers', 'import', write('erb.json', JSON.stringify(rows)), '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /imported 3 router\(s\): 3 created, 0 updated, 0 skipped/);
    const list = JSON.parse((await runCli(['routers', 'list', '--data-dir', dataDir, '--json'])).stdout) as Array<{
      routeUrl: string;
      configurations: unknown;
      enabled: boolean;
      authScheme: string;
    }>;
    const byUrl = new Map(list.map((r) => [r.routeUrl, r]));
    assert.equal(JSON.stringify(byUrl.get('https://caliper.example.com/')?.configurations), JSON.stringify(CALIPER_SAMPLE_VIEW));
    assert.equal(JSON.stringify(byUrl.get('http://ralph:8100/xAPI/')?.configurations), JSON.stringify(XAPI_SAMPLE));
    assert.equal(byUrl.get('http://old:8100/xAPI/')?.enabled, false);
    assert.equal(byUrl.get('http://ralph:8100/xAPI/')?.authScheme, 'basic');
    const database = await openControlPlaneDatabase({ dataDir });
    const store = createSqlRouterStore(database);
    const stored = await store.list();
    await store.close();
    assert.deepEqual(stored.find((r) => r.backend === 'caliper')?.auth, { scheme: 'bearer', token: 'erb-TOKEN-1' });
    const bytes = readFileSync(join(dataDir, 'edx-event-router.db'));
    for (const secret of ['erb-TOKEN-1', 'erb-PASSWORD-2']) assert.equal(bytes.includes(Buffer.from(secret)), false);
  });

  it('is idempotent: a second import updates by route_url; stdin works', async () => {
    const result = await runCli(['routers', 'import', '-', '--data-dir', dataDir], { input: JSON.stringify(rows) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /0 created, 3 updated/);
  });

  it('refuses a broken import whole, listing every error, storing nothing', async () => {
    const fresh = join(dir.path, 'data-import-broken');
    const broken = [
      ...rows,
      { backend_name: 'xAPI', route_url: 'https://bad/', configurations: '{"match_params": {"name": "(?<=x)y"}}' },
      { backend_name: 'Kafka', route_url: 'https://bad2/' },
      { backend_name: 'xAPI', route_url: 'https://bad3/', auth_scheme: 'Bearer' },
      { backend_name: 'xAPI', route_url: 'https://bad4/', configurations: '{not json' },
    ];
    const result = await runCli(['routers', 'import', write('broken.json', JSON.stringify(broken)), '--data-dir', fresh]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /\[3\]\.configurations\.match_params\.name: .*lookbehind/);
    assert.match(result.stderr, /\[4\]\.backend_name: /);
    assert.match(result.stderr, /\[5\]\.auth_key: is required for bearer auth/);
    assert.match(result.stderr, /\[6\]\.configurations: is not valid JSON/);
    assert.match(result.stderr, /import refused, nothing stored/);
    assert.equal(JSON.parse((await runCli(['routers', 'list', '--data-dir', fresh, '--json'])).stdout).length, 0);
    const notJson = await runCli(['routers', 'import', write('nojson.json', '[{'), '--data-dir', fresh]);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /not valid JSON/);
  });
});

describe('serve', () => {
  it('prints where it listens and where the admin token is (never the token: stderr is not a terminal), serves the API, sees CLI changes, stops on SIGTERM', async () => {
    const dataDir = join(dir.path, 'data-serve');
    const env = cleanEnv({ EVENT_ROUTER_LOG_LEVEL: 'warn' });
    const first = await startServe(['--data-dir', dataDir, '--port', '0'], env);
    let stopped = false;
    try {
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      assert.ok(token.length >= 32);
      assert.ok(!first.stderr().includes(token), 'the generated token is not printed to a log');
      assert.match(first.stderr(), /Admin token: generated now and kept in .*admin-token \(mode 0600\)/);
      assert.match(first.stderr(), /Read it with: cat .*admin-token/);
      assert.equal(statSync(join(dataDir, 'admin-token')).mode & 0o777, 0o600);
      assert.match(first.stderr(), /Add a router:/);

      // The running service's store watch sees a change the CLI makes.
      const database = await openControlPlaneDatabase({ dataDir });
      const store = createSqlRouterStore(database);
      const seen: number[] = [];
      const watch = store.watch((v) => seen.push(v), { intervalMs: 100 });
      await new Promise((r) => setTimeout(r, 150));
      const added = await runCli(['routers', 'add', '--data-dir', dataDir, '--backend', 'xapi', '--url', 'https://lrs/xAPI/'], { env });
      assert.equal(added.code, 0, added.stderr);
      const deadline = Date.now() + 3000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      watch.close();
      await store.close();
      assert.equal(seen.length, 1, 'the change reached the watcher within seconds');

      const response = await fetch(`${first.url}/api/routers`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { routers: Array<{ routeUrl: string }> };
      assert.deepEqual(
        body.routers.map((r) => r.routeUrl),
        ['https://lrs/xAPI/'],
      );
      assert.equal((await fetch(`${first.url}/api/routers`)).status, 401);

      assert.equal(await first.stop('SIGTERM'), 0);
      stopped = true;
      assert.match(first.stderr(), /SIGTERM: stopping/);

      const second = await startServe(['--data-dir', dataDir, '--port', '0'], env);
      assert.ok(!second.stderr().includes(token), 'the token is printed on first start only');
      assert.match(second.stderr(), /admin token: in .*admin-token/);
      assert.equal(await second.stop('SIGINT'), 0);
    } finally {
      if (!stopped) await first.stop('SIGKILL');
    }
  });

  it('refuses to start with invalid settings, listing them', async () => {
    const result = await runCli(['serve', '--port', 'http', '--compat', 'strict'], { env: cleanEnv({ EVENT_ROUTER_DATA_DIR: join(dir.path, 'unused') }) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /command line: EVENT_ROUTER_PORT: expected a number/);
    assert.match(result.stderr, /command line: EVENT_ROUTER_COMPAT: /);
  });
});
