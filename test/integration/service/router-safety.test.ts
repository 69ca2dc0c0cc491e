import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startFakeLrs, statementsOf, type FakeLrs } from '../../fakes/fake-lrs.js';
import { AdminClient } from '../admin-ui/http-client.js';
import { buildEvents } from './events.js';
import {
  ADMIN_TOKEN,
  addRouter,
  baseSettings,
  call,
  eventually,
  postEvents,
  runCli,
  scratch,
  startService,
  waitForRouters,
  type RunningService,
} from './support.js';

/**
 * Issue #16, items 8 to 11, against the running service: where routers may send (file:// only
 * inside EVENT_ROUTER_FILE_ROUTES_DIR, no symbolic link followed, files 0600; no link-local or
 * metadata address), what a router may carry (header names and values, tokens, route URLs,
 * checked through the API, the CLI and the page alike), which header values are shown back, and
 * how much of an LRS answer a dead letter keeps.
 */
const dir = scratch('router-safety');
const dataDir = join(dir.path, 'data');
const filesDir = join(dir.path, 'routes');
let service: RunningService;
let lrs: FakeLrs;
const settingsFile = join(dir.path, 'settings.json');

before(async () => {
  mkdirSync(filesDir);
  // The LRS refuses every statement with a long answer: each one becomes a dead letter.
  lrs = await startFakeLrs((request) => ({
    status: 400,
    body: `statement refused. ${'detail '.repeat(2000)}`,
    headers: { 'x-n': String(statementsOf(request.body).length) },
  }));
  service = await startService(dir.path, { ...baseSettings(dataDir), EVENT_ROUTER_FILE_ROUTES_DIR: filesDir, EVENT_ROUTING_BACKEND_MAX_RETRIES: 0 });
});
after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

async function refusedRouter(router: Record<string, unknown>, field: string, message: RegExp): Promise<void> {
  const answer = await call(service.url, 'POST', '/api/routers', router);
  assert.equal(answer.status, 400, `${JSON.stringify(router)} was accepted: ${answer.text}`);
  const error = (answer.json.errors as Array<{ field: string; message: string }>).find((e) => e.field === field);
  assert.ok(error, `an error on ${field}: ${answer.text}`);
  assert.match(error.message, message);
}

describe('file:// routers', () => {
  it('are refused outside EVENT_ROUTER_FILE_ROUTES_DIR', async () => {
    await refusedRouter({ backend: 'xapi', routeUrl: 'file:///etc/passwd' }, 'routeUrl', /must name a file inside .*routes/);
    await refusedRouter({ backend: 'xapi', routeUrl: pathToFileURL(join(filesDir, '..', 'escape.ndjson')).href }, 'routeUrl', /must name a file inside/);
  });

  it('write only inside it, follow no symbolic link, and create files 0600', { timeout: 120_000 }, async () => {
    const victim = join(dir.path, 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    symlinkSync(victim, join(filesDir, 'link.ndjson'));
    const good = join(filesDir, 'statements.ndjson');
    const goodId = await addRouter(service.url, { backend: 'xapi', routeUrl: pathToFileURL(good).href });
    const linkId = await addRouter(service.url, { backend: 'xapi', routeUrl: pathToFileURL(join(filesDir, 'link.ndjson')).href });
    await waitForRouters(service.url, 2);
    await postEvents(
      service.url,
      buildEvents(20).map((e) => JSON.stringify(e)),
    );
    await eventually(
      () => {
        try {
          return readFileSync(good, 'utf8').trim().split('\n').length >= 20;
        } catch {
          return false;
        }
      },
      60_000,
      () => 'the statements in the file',
    );
    assert.equal(statSync(good).mode & 0o777, 0o600);
    // The router through the link keeps its statements queued (retryable) and writes nothing.
    await eventually(
      async () =>
        ((await call(service.url, 'GET', '/api/queue')).json?.routers as Array<{ routerId: string; depth: number }> | undefined)?.some(
          (r) => r.routerId === linkId && r.depth > 0,
        ) ?? false,
      30_000,
      () => 'statements waiting for the router through a link',
    );
    assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
    for (const id of [goodId, linkId]) assert.equal((await call(service.url, 'DELETE', `/api/routers/${id}?force=true`)).status < 300, true);
  });
});

describe('router headers, tokens and URLs', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a Host header', { headers: { Host: 'evil.example' } }, 'configurations.headers.Host', /cannot be set/],
    ['a Content-Length header', { headers: { 'content-length': '5' } }, 'configurations.headers.content-length', /cannot be set/],
    ['a Transfer-Encoding header', { headers: { 'Transfer-Encoding': 'chunked' } }, 'configurations.headers.Transfer-Encoding', /cannot be set/],
    ['a Connection header', { headers: { Connection: 'close' } }, 'configurations.headers.Connection', /cannot be set/],
    ['a line break in a value', { headers: { 'X-A': 'a\r\nX-B: b' } }, 'configurations.headers.X-A', /printable ASCII/],
    ['a control character in a value', { headers: { 'X-A': 'a\u0007b' } }, 'configurations.headers.X-A', /U\+0007/],
    ['non-ASCII in a value', { headers: { 'X-A': 'café' } }, 'configurations.headers.X-A', /U\+00E9/],
    ['a space in a name', { headers: { 'X A': 'a' } }, 'configurations.headers.X A', /not a valid HTTP header name/],
  ];
  for (const [what, configurations, field, message] of cases) {
    it(`refuses ${what} (API)`, async () => {
      await refusedRouter({ backend: 'xapi', routeUrl: 'https://lrs.example.com/xapi/', configurations }, field, message);
    });
  }

  it('refuses a token with a line break or non-ASCII, and a route URL with CR/LF', async () => {
    await refusedRouter({ backend: 'xapi', routeUrl: 'https://lrs.example.com/x/', authScheme: 'bearer', token: 'abc\r\nHost: x' }, 'token', /printable ASCII/);
    await refusedRouter({ backend: 'xapi', routeUrl: 'https://lrs.example.com/x/', authScheme: 'bearer', token: 'tökén' }, 'token', /printable ASCII/);
    await refusedRouter({ backend: 'xapi', routeUrl: 'https://lrs.example.com/x\r\nHost: evil/' }, 'routeUrl', /control characters/);
    assert.equal((await call(service.url, 'GET', '/api/routers')).json.routers.length, 0, 'nothing was stored');
  });

  it('refuses them through the CLI', async () => {
    const add = await runCli([
      'routers',
      'add',
      '--config',
      settingsFile,
      '--backend',
      'xapi',
      '--url',
      'https://lrs.example.com/cli/',
      '--configurations',
      JSON.stringify({ headers: { 'Transfer-Encoding': 'chunked' } }),
    ]);
    assert.notEqual(add.code, 0);
    assert.match(add.stderr, /configurations\.headers\.Transfer-Encoding: cannot be set/);
    const url = await runCli(['routers', 'add', '--config', settingsFile, '--backend', 'xapi', '--url', 'http://169.254.169.254/latest/']);
    assert.notEqual(url.code, 0);
    assert.match(url.stderr, /link-local or cloud metadata address/);
  });

  it('refuses them through the page', async () => {
    const client = new AdminClient(service.url);
    assert.equal((await client.signIn(ADMIN_TOKEN)).status, 303);
    await client.get('/admin/routers/new');
    const saved = await client.post('/admin/routers', {
      backend: 'xapi',
      routeUrl: 'https://lrs.example.com/page/',
      authScheme: 'none',
      configurations: JSON.stringify({ headers: { Host: 'evil.example' } }),
      enabled: 'on',
    });
    assert.equal(saved.status, 400);
    assert.match(saved.text, /cannot be set: the HTTP client writes Host itself/);
  });
});

describe('header values shown back', () => {
  it('only for headers that never carry a credential, in the API and the page; kept on save', async () => {
    const id = await addRouter(service.url, {
      backend: 'xapi',
      routeUrl: 'https://lrs.example.com/shown/',
      configurations: {
        headers: { 'X-Signature': 'sig-SECRET-1', 'X-Creds': 'creds-SECRET-2', 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
      },
    });
    const view = await call(service.url, 'GET', `/api/routers/${id}`);
    assert.deepEqual(view.json.router.configurations.headers, {
      'X-Signature': '[redacted]',
      'X-Creds': '[redacted]',
      'Content-Type': 'application/json',
      'X-Experience-API-Version': '1.0.3',
    });
    assert.doesNotMatch(view.text, /SECRET/);
    const client = new AdminClient(service.url);
    await client.signIn(ADMIN_TOKEN);
    const page = await client.get(`/admin/routers/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /SECRET/);
    assert.match(page.text, /X-Signature&quot;: &quot;\[redacted\]|X-Signature": "\[redacted\]/);
    // A GET → PUT round trip keeps the stored values.
    assert.equal((await call(service.url, 'PUT', `/api/routers/${id}`, view.json.router)).status, 200);
    const list = await runCli(['routers', 'list', '--config', settingsFile, '--json']);
    assert.doesNotMatch(list.stdout, /SECRET/);
    assert.equal((await call(service.url, 'DELETE', `/api/routers/${id}`)).status < 300, true);
  });
});

describe('link-local and metadata destinations', () => {
  for (const url of [
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/xapi/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://2852039166/',
  ]) {
    it(`refuses ${url}`, async () => {
      await refusedRouter({ backend: 'xapi', routeUrl: url }, 'routeUrl', /link-local or cloud metadata|cloud metadata service/);
    });
  }

  it('allows private and loopback addresses', async () => {
    for (const url of ['http://10.0.0.5/xapi/', 'http://192.168.1.20/xapi/', 'http://127.0.0.1:9/xapi/', 'http://[::1]:9/xapi/']) {
      const answer = await call(service.url, 'POST', '/api/routers', { backend: 'xapi', routeUrl: url, enabled: false });
      assert.equal(answer.status, 201, `${url}: ${answer.text}`);
      await call(service.url, 'DELETE', `/api/routers/${answer.json.router.id as string}`);
    }
  });
});

describe('dead letters', () => {
  it('keep only a short part of the response body', { timeout: 120_000 }, async () => {
    await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
    await waitForRouters(service.url, 1);
    await postEvents(
      service.url,
      buildEvents(5).map((e) => JSON.stringify(e)),
    );
    await eventually(
      async () => ((await call(service.url, 'GET', '/api/dead-letters')).json?.deadLetters?.length ?? 0) > 0,
      60_000,
      () => 'dead letters',
    );
    const letters = (await call(service.url, 'GET', '/api/dead-letters')).json.deadLetters as Array<{ response?: { statusCode: number; body: string } }>;
    for (const letter of letters) {
      assert.equal(letter.response?.statusCode, 400);
      assert.match(letter.response?.body ?? '', /^statement refused\. detail/);
      assert.ok((letter.response?.body.length ?? 0) <= 301, `kept ${letter.response?.body.length} characters`);
    }
  });
});
