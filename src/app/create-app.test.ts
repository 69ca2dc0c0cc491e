import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLrs, type FakeLrs } from '../../test/fakes/fake-lrs.js';
import { repoRoot } from '../../test/support/paths.js';
import { loadSettings } from '../config/load.js';
import { createApp, type App } from './create-app.js';

/** The composition root in process, pipeline in the main thread (the CLI tests run it as a child process). */
const dir = mkdtempSync(join(tmpdir(), 'create-app-'));
const TOKEN = 'create-app-test-admin-token';
let app: App;
let lrs: FakeLrs;
let base = '';
const seen: string[] = [];

before(async () => {
  lrs = await startFakeLrs();
  const loaded = loadSettings({
    env: {
      EVENT_ROUTER_DATA_DIR: dir,
      EVENT_ROUTER_PORT: '0',
      EVENT_ROUTER_ADMIN_TOKEN: TOKEN,
      EVENT_ROUTER_PIPELINE_THREAD: 'false',
      EVENT_ROUTER_LOOKUPS_FILE: join(repoRoot(), 'samples', 'lookups.json'),
      EVENT_ROUTER_SQLITE_SYNCHRONOUS: 'normal',
      XAPI_EVENT_LOGGING_ENABLED: 'false',
      LMS_ROOT_URL: 'http://lms.example.com',
    },
  });
  assert.ok(loaded.ok);
  app = await createApp(loaded.settings, { logDestination: { write: (line: string) => void seen.push(line) } });
  base = await app.start();
});

after(async () => {
  await app.stop();
  await lrs.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('createApp (inline pipeline)', () => {
  it('A01 takes events, routes them and delivers them; /readyz and /metrics answer', async () => {
    const created = await app.routers.create({
      backend: 'xapi',
      routeUrl: `${lrs.url}xapi/`,
      auth: { scheme: 'none' },
      enabled: true,
      configurations: null,
    });
    assert.ok(created.ok);
    // The pipeline reloads its routers on the store's change event.
    for (let i = 0; i < 100 && !/1 active/.test(JSON.stringify(await (await fetch(`${base}/readyz`)).json())); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answer = await fetch(`${base}/events`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'play_video',
        timestamp: '2024-01-01T00:00:00.000001+00:00',
        data: { id: 'abc', currentTime: 1 },
        context: { user_id: 3, course_id: 'course-v1:edX+DemoX+Demo_Course' },
      }),
    });
    assert.equal(answer.status, 202);
    assert.deepEqual(await answer.json(), { accepted: 1 });
    await lrs.waitFor(() => lrs.accepted().length === 1, 10_000, 'the statement');
    assert.equal(lrs.requests[0]?.url, '/xapi/statements');

    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /edx_event_router_events_received_total\{source="http"\} 1/);
    assert.match(metrics, /edx_event_router_delivered_total\{destination="[^"]+"\} 1/);
    assert.match(metrics, /edx_event_router_process_resident_memory_bytes/);
  });

  it('A02 dead letters and queue stats under /api, behind the admin token', async () => {
    assert.equal((await fetch(`${base}/api/dead-letters`)).status, 401);
    const list = await fetch(`${base}/api/dead-letters`, { headers: auth });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { deadLetters: [], next: null });
    const queue = (await (await fetch(`${base}/api/queue`, { headers: auth })).json()) as { depth: number };
    assert.equal(queue.depth, 0);
    const purge = await fetch(`${base}/api/dead-letters/purge`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"all": true}',
    });
    assert.deepEqual(await purge.json(), { purged: 0 });
  });

  it('A03 exposes a view for admin extensions', async () => {
    const counters = app.view.counters();
    assert.equal(counters.routers.length, 1);
    assert.equal(counters.routers[0]?.delivered, 1);
    assert.equal(app.view.deliveryHealth().length, 1);
    assert.equal((await app.view.queueStats()).depth, 0);
  });
});

describe('createApp: the web admin page', () => {
  it('A04 serves /admin (sign-in first) on the same server', async () => {
    const answer = await fetch(`${base}/admin`, { redirect: 'manual' });
    assert.ok([200, 302, 303].includes(answer.status), String(answer.status));
    const { toAdminUiCounters } = await import('./admin-ui-counters.js');
    const counters = toAdminUiCounters(app.view.counters());
    assert.equal(Object.values(counters.routers)[0]?.delivered, 1);
  });
});
