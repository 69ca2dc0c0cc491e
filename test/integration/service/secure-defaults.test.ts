import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildEvents } from './events.js';
import { rawRequest } from './raw-http.js';
import { ADMIN_TOKEN, baseSettings, scratch, startService, type RunningService } from './support.js';

/**
 * Acceptance (issue #16, items 7 and 13): open ingest is not exposed by accident, web pages of
 * other origins and unexpected Host names are refused, wrong tokens are throttled per client,
 * and behind a reverse proxy the client address comes from X-Forwarded-For only when the proxy
 * is trusted.
 */
const dir = scratch('secure');
const event = JSON.stringify(buildEvents(1)[0]);
const INGEST_TOKEN = 'ingest-token-for-the-secure-tests-1';
/** Listens on every interface with open ingest asked for; no proxy trusted. */
let open: RunningService;
/** Loopback, an ingest token, 127.0.0.1 trusted as a reverse proxy, a host allow-list. */
let proxied: RunningService;

const ndjson = { 'content-type': 'application/x-ndjson' };
const signIn = (base: string, password: string, forwardedFor?: string) =>
  rawRequest(base, 'POST', '/admin/login', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: new URLSearchParams({ username: 'admin', password }).toString(),
  });

before(async () => {
  open = await startService(
    dir.path,
    {
      ...baseSettings(join(dir.path, 'open')),
      EVENT_ROUTER_HOST: '0.0.0.0',
      EVENT_ROUTER_INGEST_OPEN: true,
      EVENT_ROUTER_ALLOWED_ORIGINS: ['https://studio.example.com'],
    },
    { name: 'open' },
  );
  proxied = await startService(
    dir.path,
    {
      ...baseSettings(join(dir.path, 'proxied')),
      EVENT_ROUTER_INGEST_TOKEN: INGEST_TOKEN,
      EVENT_ROUTER_TRUSTED_PROXIES: ['127.0.0.1'],
      EVENT_ROUTER_ALLOWED_HOSTS: ['127.0.0.1', '.example.com'],
    },
    { name: 'proxied' },
  );
});

after(async () => {
  for (const service of [open, proxied]) if (service !== undefined && service.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('secure defaults', () => {
  it('refuses to start with open ingest on a non-loopback address, before it opens the data directory', async () => {
    const dataDir = join(dir.path, 'exposed');
    await assert.rejects(startService(dir.path, { ...baseSettings(dataDir), EVENT_ROUTER_HOST: '0.0.0.0' }, { name: 'exposed' }), (error: Error) => {
      assert.match(error.message, /EVENT_ROUTER_HOST is 0\.0\.0\.0, not a loopback address, and EVENT_ROUTER_INGEST_TOKEN is not set/);
      assert.match(error.message, /EVENT_ROUTER_INGEST_OPEN=true/);
      return true;
    });
    assert.equal(existsSync(dataDir), false);
  });

  it('starts on 0.0.0.0 when open ingest is asked for', () => {
    assert.match(open.url, /^http:\/\/0\.0\.0\.0:\d+$/);
  });

  it('refuses a forged cross-site text/plain post, takes one from an allowed origin and from shippers (no Origin)', async () => {
    const base = open.url.replace('0.0.0.0', '127.0.0.1');
    const forged = await rawRequest(base, 'POST', '/events', { headers: { 'content-type': 'text/plain', origin: 'http://evil.example' }, body: event });
    assert.equal(forged.status, 403, forged.text);
    assert.equal(forged.json.error, 'origin_not_allowed');
    const sandboxed = await rawRequest(base, 'POST', '/events', { headers: { 'content-type': 'text/plain', origin: 'null' }, body: event });
    assert.equal(sandboxed.status, 403);
    const allowed = await rawRequest(base, 'POST', '/events', { headers: { ...ndjson, origin: 'https://studio.example.com' }, body: event });
    assert.equal(allowed.status, 202, allowed.text);
    const shipper = await rawRequest(base, 'POST', '/events', { headers: ndjson, body: event });
    assert.equal(shipper.status, 202, shipper.text);
    // The admin API too: a page cannot make a browser send the token, but a listed origin is the only kind let through.
    const api = await rawRequest(base, 'GET', '/api/routers', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, origin: 'http://evil.example' } });
    assert.equal(api.status, 403);
  });

  it('refuses Host names outside the allow-list (421), answers probes under any host', async () => {
    const rebound = await rawRequest(proxied.url, 'POST', '/events', {
      headers: { ...ndjson, host: 'attacker.example.net', authorization: `Bearer ${INGEST_TOKEN}` },
      body: event,
    });
    assert.equal(rebound.status, 421, rebound.text);
    assert.equal(rebound.json.error, 'host_not_allowed');
    assert.equal(
      (await rawRequest(proxied.url, 'GET', '/api/routers', { headers: { host: 'attacker.example.net', authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
      421,
    );
    const named = await rawRequest(proxied.url, 'POST', '/events', {
      headers: { ...ndjson, host: 'router.example.com:8080', authorization: `Bearer ${INGEST_TOKEN}` },
      body: event,
    });
    assert.equal(named.status, 202, named.text);
    assert.equal((await rawRequest(proxied.url, 'GET', '/healthz', { headers: { host: 'attacker.example.net' } })).status, 200);
    assert.equal((await rawRequest(proxied.url, 'GET', '/readyz', { headers: { host: 'attacker.example.net' } })).status, 200);
  });

  it('throttles wrong admin tokens per client address: 429 with Retry-After, the right token included; other clients unaffected', async () => {
    const api = (token: string, client: string) =>
      rawRequest(proxied.url, 'GET', '/api/routers', { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });
    for (let i = 0; i < 10; i++) assert.equal((await api('wrong-admin-token-guess', '203.0.113.7')).status, 401);
    const blocked = await api('wrong-admin-token-guess', '203.0.113.7');
    assert.equal(blocked.status, 429, blocked.text);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal((await api(ADMIN_TOKEN, '203.0.113.7')).status, 429);
    assert.equal((await api(ADMIN_TOKEN, '203.0.113.8')).status, 200);
  });

  it('throttles wrong ingest tokens per client address the same way', async () => {
    const ingest = (token: string, client: string) =>
      rawRequest(proxied.url, 'POST', '/events', { headers: { ...ndjson, authorization: `Bearer ${token}`, 'x-forwarded-for': client }, body: event });
    for (let i = 0; i < 10; i++) assert.equal((await ingest('wrong-ingest-token-guess', '198.51.100.1')).status, 401);
    const blocked = await ingest(INGEST_TOKEN, '198.51.100.1');
    assert.equal(blocked.status, 429, blocked.text);
    assert.equal(blocked.json.error, 'too_many_failures');
    assert.equal((await ingest(INGEST_TOKEN, '198.51.100.2')).status, 202);
  });

  it('locks the admin page out per forwarded client behind a trusted proxy, and per peer when the proxy is not trusted', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await signIn(proxied.url, 'wrong-password', '192.0.2.10')).status, 401);
    assert.equal((await signIn(proxied.url, ADMIN_TOKEN, '192.0.2.10')).status, 429);
    // Another user behind the same proxy still signs in.
    assert.equal((await signIn(proxied.url, ADMIN_TOKEN, '192.0.2.11')).status, 303);

    // Not trusted: X-Forwarded-For is ignored, so a client cannot dodge the lockout by inventing addresses.
    const base = open.url.replace('0.0.0.0', '127.0.0.1');
    for (let i = 0; i < 10; i++) assert.equal((await signIn(base, 'wrong-password', `192.0.2.${20 + i}`)).status, 401);
    assert.equal((await signIn(base, ADMIN_TOKEN, '192.0.2.99')).status, 429);
  });
});
