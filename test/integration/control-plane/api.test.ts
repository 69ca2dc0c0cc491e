import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp, type App } from '../../../src/app/create-app.js';
import { loadSettings } from '../../../src/config/load.js';
import { CALIPER_SAMPLE, CALIPER_SAMPLE_VIEW, tempDir, XAPI_SAMPLE } from './support.js';

/** Real HTTP: the app listens on 127.0.0.1:0 and the tests use fetch. */
const SECRETS = ['basic-PASSWORD-0001', 'bearer-TOKEN-0002', 'header-KEY-0003', 'patched-PASSWORD-0004'];
const ADMIN_TOKEN = 'admin-token-for-the-api-tests';

let app: App;
let base: string;
const logs: string[] = [];
const dir = tempDir();

async function api(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  responses.push(text);
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text), text };
}
const responses: string[] = [];

before(async () => {
  const loaded = loadSettings({
    env: { EVENT_ROUTER_DATA_DIR: dir.path, EVENT_ROUTER_PORT: '0', EVENT_ROUTER_ADMIN_TOKEN: ADMIN_TOKEN, EVENT_ROUTER_LOG_LEVEL: 'debug' },
  });
  assert.ok(loaded.ok);
  app = await createApp(loaded.settings, { logDestination: { write: (line: string) => void logs.push(line) } });
  base = await app.start();
});

after(async () => {
  await app.stop();
  dir.remove();
});

describe('admin API: authentication', () => {
  it('refuses requests without the admin token, or with another one', async () => {
    assert.equal((await api('GET', '/api/routers', undefined, null)).status, 401);
    const wrong = await api('GET', '/api/routers', undefined, 'not-the-token');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error, 'unauthorized');
  });
  it('leaves /healthz open', async () => {
    assert.equal((await api('GET', '/healthz', undefined, null)).status, 200);
  });
});

describe('admin API: routers', () => {
  let caliperId = '';
  let xapiId = '';

  it('loads the Caliper sample unchanged, with the top-level-key warning', async () => {
    const created = await api('POST', '/api/routers', {
      backend: 'caliper',
      routeUrl: 'https://caliper.example.com/events',
      authScheme: 'bearer',
      token: SECRETS[1],
      configurations: CALIPER_SAMPLE,
    });
    assert.equal(created.status, 201, created.text);
    caliperId = created.json.router.id;
    assert.equal(JSON.stringify(created.json.router.configurations), JSON.stringify(CALIPER_SAMPLE_VIEW));
    assert.equal(created.json.router.hasToken, true);
    assert.match(created.json.warnings.join('\n'), /match_params\.course_id: .*"context\.course_id"/);
    const fetched = await api('GET', `/api/routers/${caliperId}`);
    assert.deepEqual(fetched.json.router, created.json.router);
  });

  it('loads the xAPI sample unchanged, given as JSON text in an ERB-shaped body', async () => {
    const created = await api('POST', '/api/routers', {
      backend_name: 'xAPI',
      route_url: 'https://lrs.example.com/xAPI/',
      auth_scheme: 'Basic',
      username: 'lrs-key',
      password: SECRETS[0],
      enabled: true,
      configurations: JSON.stringify(XAPI_SAMPLE),
    });
    assert.equal(created.status, 201, created.text);
    xapiId = created.json.router.id;
    assert.equal(JSON.stringify(created.json.router.configurations), JSON.stringify(XAPI_SAMPLE));
    assert.equal(created.json.router.hasPassword, true);
    assert.equal(created.json.router.username, 'lrs-key');
    assert.match(created.json.warnings.join('\n'), /enterprise_uuid/);
  });

  it('behaves as ERB for delivery: match_params on the original event, override_args kept for the envelope', async () => {
    const { routers } = await app.routers.activeRouters('caliper');
    const caliper = routers.find((r) => r.id === caliperId);
    assert.ok(caliper);
    assert.equal(caliper.matches({ name: 'stop_video', course_id: 'course-v1:edX+E2E+2021+x' }), true);
    assert.equal(caliper.matches({ name: 'stop_video', context: { course_id: 'course-v1:edX+E2E+2021+x' } }), false);
    assert.deepEqual(caliper.overrideArgs, { sensor_id: 'sensor@example.com' });
    assert.deepEqual(caliper.headers, { test: 'header', Authorization: `Bearer ${SECRETS[1]}` });
    const { routers: xapi } = await app.routers.activeRouters('xapi');
    assert.equal(xapi[0]?.matches({ name: 'edx.course.enrollment.activated', enterprise_uuid: 'org_XYZ' }), true);
  });

  it('lists routers without secrets', async () => {
    const listed = await api('GET', '/api/routers');
    assert.equal(listed.json.routers.length, 2);
  });

  const refusals: Array<[string, unknown, string, RegExp]> = [
    [
      'an invalid regex',
      { backend: 'xapi', routeUrl: 'https://a/', configurations: { match_params: { name: ['ok', '(x'] } } },
      'configurations.match_params.name[1]',
      /"\(x"/,
    ],
    [
      'a lookaround regex',
      { backend: 'xapi', routeUrl: 'https://a/', configurations: { match_params: { 'context.course_id': 'x(?!y)' } } },
      'configurations.match_params.context.course_id',
      /lookahead/,
    ],
    ['an unknown auth scheme', { backend: 'xapi', routeUrl: 'https://a/', authScheme: 'Digest' }, 'authScheme', /unknown auth scheme/],
    ['bearer without a token', { backend: 'xapi', routeUrl: 'https://a/', authScheme: 'bearer' }, 'token', /required for bearer/],
    ['malformed configurations JSON', { backend: 'xapi', routeUrl: 'https://a/', configurations: '{"match_params":' }, 'configurations', /not valid JSON/],
    ['a malformed JSON body', '{"backend": "xapi", ', 'body', /JSON/],
  ];
  for (const [title, body, field, message] of refusals) {
    it(`refuses ${title}, naming the field, and stores nothing`, async () => {
      const before = await app.routers.version();
      const response = await api('POST', '/api/routers', body);
      assert.equal(response.status, 400, response.text);
      const error = response.json.errors.find((e: { field: string }) => e.field === field);
      assert.ok(error, `no error for ${field}: ${response.text}`);
      assert.match(error.message, message);
      assert.match(response.json.message, new RegExp(field.replace(/[.[\]]/g, '\\$&')));
      assert.equal((await api('GET', '/api/routers')).json.routers.length, 2);
      assert.equal(await app.routers.version(), before);
    });
  }

  it('refuses a second router for the same URL (409)', async () => {
    const response = await api('POST', '/api/routers', { backend: 'xapi', routeUrl: 'https://lrs.example.com/xAPI/' });
    assert.equal(response.status, 409);
  });

  it('PATCH changes only what is given and keeps the password', async () => {
    const patched = await api('PATCH', `/api/routers/${xapiId}`, { enabled: false });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.router.enabled, false);
    assert.equal(patched.json.router.hasPassword, true);
    const stored = await app.routers.get(xapiId);
    assert.deepEqual(stored?.auth, { scheme: 'basic', username: 'lrs-key', password: SECRETS[0] });
    assert.equal(JSON.stringify(stored?.configurations), JSON.stringify(XAPI_SAMPLE));
    const repassword = await api('PATCH', `/api/routers/${xapiId}`, { password: SECRETS[3], enabled: true });
    assert.equal(repassword.status, 200);
    assert.deepEqual((await app.routers.get(xapiId))?.auth, { scheme: 'basic', username: 'lrs-key', password: SECRETS[3] });
  });

  it('redacts credential-like headers and keeps them through a GET → PUT round trip', async () => {
    const body = {
      backend: 'caliper',
      routeUrl: 'https://caliper.example.com/events',
      authScheme: 'bearer',
      configurations: { ...CALIPER_SAMPLE, headers: { test: 'header', 'X-Api-Key': SECRETS[2] } },
    };
    const put = await api('PUT', `/api/routers/${caliperId}`, body);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.router.configurations.headers['X-Api-Key'], '[redacted]');
    assert.equal(put.json.router.hasToken, true, 'the token is kept when the scheme stays bearer');
    const roundTrip = await api('PUT', `/api/routers/${caliperId}`, (await api('GET', `/api/routers/${caliperId}`)).json.router);
    assert.equal(roundTrip.status, 200, roundTrip.text);
    const stored = await app.routers.get(caliperId);
    assert.equal((stored?.configurations?.['headers'] as Record<string, string>)['X-Api-Key'], SECRETS[2]);
  });

  it('PUT and PATCH refuse invalid input and unknown ids', async () => {
    assert.equal((await api('PUT', `/api/routers/${xapiId}`, { backend: 'xapi' })).status, 400);
    assert.equal((await api('PATCH', `/api/routers/${xapiId}`, { authScheme: 'bearer' })).status, 400);
    assert.equal((await api('PATCH', '/api/routers/no-such-id', { enabled: true })).status, 404);
  });

  it('notifies watchers of API changes at once', async () => {
    const seen: number[] = [];
    const watch = app.routers.watch((v) => seen.push(v), { intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    await api('PATCH', `/api/routers/${xapiId}`, { enabled: true });
    watch.close();
    assert.equal(seen.length, 1);
  });

  it('DELETE removes a router and says that nothing went with it', async () => {
    const created = await api('POST', '/api/routers', { backend: 'xapi', routeUrl: 'https://gone/' });
    assert.equal((await api('DELETE', `/api/routers/${created.json.router.id}?force=maybe`)).status, 400);
    const removed = await api('DELETE', `/api/routers/${created.json.router.id}`);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.json.discarded, { queued: 0, deadLetters: 0 });
    assert.equal(removed.json.router.id, created.json.router.id);
    assert.equal((await api('GET', `/api/routers/${created.json.router.id}`)).status, 404);
    assert.equal((await api('DELETE', `/api/routers/${created.json.router.id}`)).status, 404);
  });

  it('never shows a secret in an answer or a log line, nor in clear text in the database', async () => {
    const everything = responses.join('\n');
    const logText = logs.join('');
    assert.ok(logText.includes('router created'), 'the changes were logged');
    for (const secret of [...SECRETS, ADMIN_TOKEN]) {
      assert.ok(!everything.includes(secret), `${secret} in an API answer`);
      assert.ok(!logText.includes(secret), `${secret} in the log`);
    }
    for (const name of readdirSync(dir.path).filter((f) => f.startsWith('edx-event-router.db'))) {
      const bytes = readFileSync(join(dir.path, name));
      for (const secret of [...SECRETS, 'lrs-key']) assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in ${name}`);
    }
  });
});
