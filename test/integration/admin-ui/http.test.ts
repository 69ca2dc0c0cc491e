import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lrsAccepts, startFakeLrs, wasAccepted, type FakeLrs } from '../../fakes/fake-lrs.js';
import { AdminClient } from './http-client.js';
import { ADMIN_TOKEN, eventually, startAdminUi, type AdminUiHarness } from './support.js';

/** The admin page over plain HTTP: sign-in, CSRF, escaping, secrets, routers and dead letters. */
let h: AdminUiHarness;
let client: AdminClient;
const PASSWORD = 'basic-PASSWORD-ui-0001';
const HEADER_SECRET = 'header-KEY-ui-0002';
const XSS_URL = 'https://lrs.example.com/xAPI/?q=<script>alert(1)</script>';

before(async () => {
  h = await startAdminUi();
  client = new AdminClient(h.url);
});
after(async () => {
  await h.stop();
});

describe('admin UI: sign-in', () => {
  it('sends pages to the sign-in form and answers the JSON endpoints 401 without a session', async () => {
    const page = await client.get('/admin/routers');
    assert.equal(page.status, 303);
    assert.equal(page.location, '/admin/login?next=%2Fadmin%2Frouters');
    assert.equal((await client.get('/admin/api/status')).status, 401);
    const login = await client.get('/admin/login');
    assert.equal(login.status, 200);
    assert.match(login.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(login.text, /<label for="f-password">Password<\/label>/);
  });

  it('refuses a wrong password and accepts user admin with the admin token', async () => {
    const wrong = await client.signIn('not-the-token');
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Wrong username or password/);
    assert.equal(client.cookie, undefined);
    assert.equal((await client.signIn(ADMIN_TOKEN, 'someone')).status, 401);

    const right = await new AdminClient(h.url).post('/admin/login', { username: 'admin', password: ADMIN_TOKEN, next: '/admin/routers' }, { csrf: null });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/admin/routers');
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/admin/);

    assert.equal((await client.signIn(ADMIN_TOKEN)).status, 303);
    assert.equal((await client.get('/admin')).status, 200);
    assert.ok(client.csrf, 'pages carry the CSRF token');
  });

  it('never redirects off the admin page after sign-in', async () => {
    const other = await new AdminClient(h.url).post('/admin/login', { username: 'admin', password: ADMIN_TOKEN, next: '//evil.example/admin' }, { csrf: null });
    assert.equal(other.location, '/admin');
  });
});

describe('admin UI: CSRF', () => {
  it('refuses a change without the token, with a wrong one, or from another origin', async () => {
    const fields = { backend: 'xapi', routeUrl: 'https://csrf.example.com/', authScheme: 'none', enabled: 'on', configurations: '' };
    assert.equal((await client.post('/admin/routers', fields, { csrf: null })).status, 403);
    assert.equal((await client.post('/admin/routers', fields, { csrf: 'forged' })).status, 403);
    assert.equal((await client.post('/admin/routers', fields, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await h.store.list()).length, 0);
  });
});

describe('admin UI: routers', () => {
  let id = '';

  it('creates a router from the form, with basic auth and a secret header', async () => {
    const created = await client.post('/admin/routers', {
      backend: 'xapi',
      routeUrl: XSS_URL,
      authScheme: 'basic',
      username: 'lrs-key',
      password: PASSWORD,
      enabled: 'on',
      configurations: JSON.stringify({ headers: { 'X-Api-Key': HEADER_SECRET }, match_params: { name: '^edx\\.' } }),
    });
    assert.equal(created.status, 303, created.text);
    const [router] = await h.store.list();
    assert.ok(router);
    id = router.id;
    assert.deepEqual(router.auth, { scheme: 'basic', username: 'lrs-key', password: PASSWORD });
  });

  it('escapes the URL everywhere and never sends a secret to the browser', async () => {
    for (const path of ['/admin', '/admin/routers', `/admin/routers/${id}`, `/admin/routers/${id}/delete`, '/admin/dead-letters']) {
      const page = await client.get(path);
      assert.equal(page.status, 200, path);
      assert.doesNotMatch(page.text, /<script>alert/, path);
      assert.ok(!page.text.includes(PASSWORD) && !page.text.includes(HEADER_SECRET), `${path} leaks a secret`);
    }
    const edit = await client.get(`/admin/routers/${id}`);
    assert.match(edit.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(edit.text, /placeholder="Stored: leave unchanged"/);
    assert.match(edit.text, /\[redacted\]/);
    const status = await client.get('/admin/api/status');
    assert.ok(!status.text.includes(PASSWORD));
    assert.ok(!h.logs.join('').includes(PASSWORD) && !h.logs.join('').includes(HEADER_SECRET), 'a secret was logged');
  });

  it('keeps the stored password and redacted header when the form is saved unchanged', async () => {
    const edit = await client.get(`/admin/routers/${id}`);
    const configurations = /<textarea[^>]*name="configurations"[^>]*>\n([^<]*)<\/textarea>/.exec(edit.text)?.[1] ?? '';
    const text = configurations.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
    const saved = await client.post(`/admin/routers/${id}`, {
      backend: 'xapi',
      routeUrl: 'https://lrs.example.com/xAPI/',
      authScheme: 'basic',
      username: 'lrs-key',
      password: '',
      enabled: 'on',
      configurations: text,
    });
    assert.equal(saved.status, 303, saved.text);
    const router = await h.store.get(id);
    assert.deepEqual(router?.auth, { scheme: 'basic', username: 'lrs-key', password: PASSWORD });
    assert.deepEqual(router?.configurations?.['headers'], { 'X-Api-Key': HEADER_SECRET });
  });

  it('shows every problem of a refused save at once, keeping what was typed', async () => {
    const refused = await client.post(`/admin/routers/${id}`, {
      backend: 'xapi',
      routeUrl: 'ftp://nope',
      authScheme: 'bearer',
      token: '',
      enabled: 'on',
      configurations: '{"match_params": {"name": "(unclosed"}}',
    });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /must be an http:\/\/, https:\/\/ or file:\/\/ URL/);
    assert.match(refused.text, /is required for bearer auth/);
    assert.match(refused.text, /match_params\.name: invalid regular expression &quot;\(unclosed&quot;/);
    assert.match(refused.text, /value="ftp:\/\/nope"/);
    assert.equal((await h.store.get(id))?.routeUrl, 'https://lrs.example.com/xAPI/');
  });

  it('checks as you type: JSON errors with their line, bad regexes by name, unknown keys flagged', async () => {
    const check = async (configurations: string) => {
      const response = await client.post(`/admin/api/check-router?id=${id}`, {
        backend: 'xapi',
        routeUrl: 'https://lrs.example.com/xAPI/',
        authScheme: 'basic',
        username: 'lrs-key',
        enabled: 'on',
        configurations,
      });
      assert.equal(response.status, 200);
      return JSON.parse(response.text) as { ok: boolean; invalid: string[]; slots: Record<string, string> };
    };
    const broken = await check('{\n  "match_params": {\n    "name": "x",\n  }\n}');
    assert.equal(broken.ok, false);
    assert.match(broken.slots['error-configurations'] ?? '', /JSON error on line 4, column 3/);
    assert.match(broken.slots['error-configurations'] ?? '', /trailing comma/);
    assert.deepEqual(broken.invalid, ['configurations']);

    const regex = await check('{"match_params": {"name": ["^ok$", "a(?=b)"]}}');
    assert.match(regex.slots['error-configurations'] ?? '', /match_params\.name\[1\]: invalid regular expression &quot;a\(\?=b\)&quot;/);

    const unknown = await check('{"match_param": {}, "headers": {"X-A": "1"}}');
    assert.equal(unknown.ok, true);
    assert.match(unknown.slots['warnings-configurations'] ?? '', /match_param: not used/);
    assert.match(unknown.slots['ok-configurations'] ?? '', /Valid/);

    const noCsrf = await client.post('/admin/api/check-router', { configurations: '{}' }, { csrf: null });
    assert.equal(noCsrf.status, 403);
  });

  it('disables and enables a router', async () => {
    assert.equal((await client.post(`/admin/routers/${id}/enabled`, { enabled: 'false' })).location, '/admin/routers?done=disabled');
    assert.equal((await h.store.get(id))?.enabled, false);
    await client.post(`/admin/routers/${id}/enabled`, { enabled: 'true' });
    assert.equal((await h.store.get(id))?.enabled, true);
  });
});

describe('admin UI: dead letters', () => {
  let id = '';
  before(async () => {
    h.lrs.respondWith(() => ({ status: 400, body: { message: 'bad statement <img src=x onerror=alert(1)>' } }));
    await client.post('/admin/routers', { backend: 'xapi', routeUrl: h.lrs.url, authScheme: 'none', enabled: 'on', configurations: '' });
    id = (await h.store.list()).find((r) => r.routeUrl === h.lrs.url)?.id ?? '';
    await eventually(() => h.delivery.health().some((health) => health.routerId === id), 5000, 'a delivery worker');
    await h.enqueue(id, 3);
    await eventually(async () => (await h.queue.deadLetters.list({ routerId: id })).length === 3, 10_000, 'three dead letters');
  });

  it('lists them by router with the reason and the escaped response', async () => {
    const page = await client.get(`/admin/dead-letters?router=${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Refused by the LRS/);
    assert.match(page.text, /HTTP 400/);
    assert.match(page.text, /bad statement &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(page.text, /<img src=x/);
    const status = JSON.parse((await client.get('/admin/api/status')).text);
    assert.equal(status.routers[id].cells.deadLettered, '3');
    assert.equal(status.routers[id].cells.received, '3');
  });

  it('retries one, which the LRS now accepts, and purges the rest', async () => {
    h.lrs.respondWith(lrsAccepts);
    const [first] = await h.queue.deadLetters.list({ routerId: id });
    assert.ok(first);
    const retried = await client.post('/admin/dead-letters/retry', { id: first.id, router: id });
    assert.equal(retried.location, `/admin/dead-letters?router=${encodeURIComponent(id)}&done=retried&n=1`);
    await eventually(() => h.lrs.requests.some((r) => wasAccepted(r)), 10_000, 'the retried statement delivered');
    assert.equal((await client.post('/admin/dead-letters/purge', { router: id })).status, 303, 'an empty purge is a no-op');
    assert.equal((await h.queue.deadLetters.list({ routerId: id })).length, 2);
    const purged = await client.post('/admin/dead-letters/purge', { router: id, all: '1' });
    assert.match(purged.location ?? '', /done=purged&n=2/);
    assert.equal((await h.queue.deadLetters.list({ routerId: id })).length, 0);
  });

  it('deletes a router with its queued statements only once the confirmation box is ticked', async () => {
    h.lrs.respondWith(() => ({ status: 503, body: { error: 'unavailable' } }));
    await h.enqueue(id, 3, 500);
    const depth = async (): Promise<number | undefined> => (await h.queue.stats()).routers.find((r) => r.routerId === id)?.depth;
    assert.equal(await depth(), 3);
    const confirm = await client.get(`/admin/routers/${id}/delete`);
    assert.match(confirm.text, /It has 3 queued statements and 0 dead letters: they are discarded with it/);
    assert.match(confirm.text, /<input type="checkbox" name="discard" value="on" required> Discard its 3 queued statements and 0 dead letters/);

    const unticked = await client.post(`/admin/routers/${id}/delete`, {});
    assert.equal(unticked.status, 409);
    assert.match(unticked.text, /The router was not deleted: it has 3 queued statements and 0 dead letters/);
    assert.ok(await h.store.get(id), 'still there');
    assert.equal(await depth(), 3);

    const deleted = await client.post(`/admin/routers/${id}/delete`, { discard: 'on' });
    assert.equal(deleted.location, '/admin/routers?done=deleted&queued=3&dead=0');
    assert.equal(await h.store.get(id), undefined);
    assert.equal(await depth(), undefined, 'its statements left the outbox with it');
    assert.match((await client.get(deleted.location)).text, /Router deleted\. Discarded with it: 3 queued statements and 0 dead letters\./);
    assert.equal((await client.get(`/admin/routers/${id}`)).status, 404);
    h.lrs.respondWith(lrsAccepts);
  });
});

describe('admin UI: delivery state of a failing router', () => {
  let lrs401: FakeLrs;
  let id = '';
  before(async () => {
    lrs401 = await startFakeLrs(() => ({ status: 401, body: { message: 'Unauthorized' } }));
    const url = `${lrs401.url}a/very/long/path/xapi/`;
    await client.post('/admin/routers', {
      backend: 'xapi',
      routeUrl: url,
      authScheme: 'none',
      enabled: 'on',
      configurations: JSON.stringify({ match_params: { name: '^edx\\.video' } }),
    });
    id = (await h.store.list()).find((r) => r.routeUrl === url)?.id ?? '';
    await eventually(() => h.delivery.health().some((health) => health.routerId === id), 5000, 'a delivery worker');
    await h.enqueue(id, 5);
    await eventually(() => h.delivery.health().find((health) => health.routerId === id)?.state === 'unauthorized', 10_000, 'the 401 hold');
  });
  after(async () => {
    await lrs401.close();
  });

  it('lists the router with its id, match_params, failed statements and the time of the next attempt', async () => {
    const page = (await client.get('/admin/routers')).text;
    assert.match(page, new RegExp(`router-id"[^>]*>${id}<`));
    assert.match(page, /match_params <code>\{&quot;name&quot;:&quot;\^edx\\\\\.video&quot;\}<\/code>/);
    assert.match(page, new RegExp(`data-live="${id}\\|failed">5<`), 'the 401 answered for all five statements counts as failed');
    assert.match(page, new RegExp(`data-live="${id}\\|nextAttempt">next attempt \\d\\d:\\d\\d:\\d\\d\u00a0UTC<`));
    // The URL may break after each slash, never inside a word.
    assert.match(page, /a\/<wbr>very\/<wbr>long\/<wbr>path\/<wbr>xapi\/<wbr>/);
    const status = JSON.parse((await client.get('/admin/api/status')).text);
    assert.equal(status.routers[id].cells.failed, '5');
  });

  it('charts the last hour on the overview: totals and each router, drawn on the server as SVG', async () => {
    // The harness samples every 200 ms: wait until the queued line of this router has risen to 5.
    await eventually(
      async () =>
        new RegExp(`aria-label="Last hour of [^"]*a/very/long/path/xapi/: received, delivered, queued and failed, peak 5"`).test(
          (await client.get('/admin')).text,
        ),
      10_000,
      'a chart of the failing router',
    );
    const page = (await client.get('/admin')).text;
    for (const label of ['Received per interval', 'Delivered per interval', 'Queued', 'Failed per interval']) {
      assert.match(page, new RegExp(`<figcaption>${label}</figcaption><svg class="spark"[^>]*aria-label="${label}, last hour, peak \\d+"`));
    }
    assert.match(page, /<polyline class="spark-queued" points="[\d., ]+"><\/polyline>/);
    assert.doesNotMatch(page, /<script(?! src)/, 'no inline script: the charts need none');
  });

  it('offers "Retry now" while the router is held; it needs the CSRF token and tries the LRS again at once', async () => {
    const list = (await client.get('/admin/routers')).text;
    assert.match(list, new RegExp(`<form method="post" action="/admin/routers/${id}/retry" class="retry-now" data-retry-now="${id}">`), 'shown, not hidden');
    const status = JSON.parse((await client.get('/admin/api/status')).text);
    assert.equal(status.routers[id].retryNow, true);
    const asked = lrs401.requests.length;
    assert.equal((await client.post(`/admin/routers/${id}/retry`, { back: '/admin/routers' }, { csrf: null })).status, 403);
    assert.equal((await client.post(`/admin/routers/${id}/retry`, { back: '/admin/routers' }, { csrf: 'forged' })).status, 403);
    assert.equal(lrs401.requests.length, asked, 'a refused post changes nothing');
    const done = await client.post(`/admin/routers/${id}/retry`, { back: `/admin/routers/${id}` });
    assert.equal(done.status, 303);
    assert.match(done.location ?? '', new RegExp(`^/admin/routers/${id}\\?done=retried&n=\\d+$`));
    // The 401 hold lasts a minute; retry now sends again at once (and the LRS still says 401).
    await lrs401.waitFor(() => lrs401.requests.length > asked, 5000, 'a request right after retry now');
    const page = (await client.get(done.location ?? '')).text;
    assert.match(
      page,
      /Retry now: (No statement was|\d+ waiting statements? (is|are)) (waiting for a retry|due now); delivery tries the router again at once\./,
    );
    assert.match(page, new RegExp(`data-retry-now="${id}">`), 'the edit page has the button too');
    const elsewhere = await client.post(`/admin/routers/${id}/retry`, { back: 'https://evil.example/' });
    assert.match(elsewhere.location ?? '', /^\/admin\?done=retried/, 'only back to a page of /admin');
  });

  it('shows the id, health and queue of the router above its form', async () => {
    const page = (await client.get(`/admin/routers/${id}`)).text;
    assert.match(page, new RegExp(`<dt>Router id</dt><dd><span class="mono">${id}</span></dd>`));
    assert.match(page, new RegExp(`data-live="${id}\\|health">Unauthorized<`));
    assert.match(page, new RegExp(`data-live="${id}\\|depth">5<`));
    assert.match(page, new RegExp(`data-live="${id}\\|lastError"[^>]*>HTTP 401`));
  });
});

describe('admin UI: sign-out', () => {
  it('ends the session, and the old cookie no longer works', async () => {
    const cookie = client.cookie;
    const out = await client.post('/admin/logout', {});
    assert.equal(out.location, '/admin/login?signed-out=1');
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    const replay = new AdminClient(h.url);
    replay.cookie = cookie;
    assert.equal((await replay.get('/admin')).status, 303);
  });

  it('slows down password guessing', async () => {
    const guesser = new AdminClient(h.url);
    for (let i = 0; i < 10; i++) assert.equal((await guesser.signIn(`guess-${i}`)).status, 401);
    const blocked = await guesser.signIn(ADMIN_TOKEN);
    assert.equal(blocked.status, 429);
    assert.match(blocked.text, /Too many failed sign-ins/);
  });
});
