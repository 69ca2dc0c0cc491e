import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminClient } from '../admin-ui/http-client.js';
import { buildEvents } from './events.js';
import { ADMIN_TOKEN, baseSettings, call, eventually, postEvents, runCli, scratch, startService, type RunningService } from './support.js';
import { startFakeLrs, type FakeLrs } from '../../fakes/fake-lrs.js';

/**
 * What an operator reads: the start-up notes (what is configured, the admin page), the default of
 * the xapi_tracking stream (not written unless it has a destination), and the warning for a
 * Caliper router while CALIPER_EVENTS_ENABLED is false (API, CLI and page).
 */
const dir = scratch('operator-notes');
const dataDir = join(dir.path, 'data');
const settingsFile = join(dir.path, 'settings.json');
// ERB's default: the xapi_tracking toggle on, with no destination set.
const settings = { ...baseSettings(dataDir), XAPI_EVENT_LOGGING_ENABLED: true, EVENT_ROUTER_LOG_LEVEL: 'info' };
let service: RunningService;
let lrs: FakeLrs;

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, settings);
});
after(async () => {
  if (service.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('a Caliper router while CALIPER_EVENTS_ENABLED is false', () => {
  it('is accepted with a warning on add and update (API)', async () => {
    const created = await call(service.url, 'POST', '/api/routers', { backend: 'caliper', routeUrl: 'https://caliper.example.com/events' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.warnings, ['backend: CALIPER_EVENTS_ENABLED is false, so this Caliper router receives nothing until it is set to true']);
    const id = (created.json.router as { id: string }).id;
    const patched = await call(service.url, 'PATCH', `/api/routers/${id}`, { enabled: false });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.warnings, ['backend: CALIPER_EVENTS_ENABLED is false, so this Caliper router receives nothing until it is set to true']);
    const xapi = await call(service.url, 'POST', '/api/routers', { backend: 'xapi', routeUrl: `${lrs.url}/xapi/` });
    assert.deepEqual(xapi.json.warnings, [], 'an xAPI router gets no such warning');
  });

  it('is accepted with a warning through the CLI', async () => {
    const add = await runCli(['routers', 'add', '--config', settingsFile, '--backend', 'caliper', '--url', 'https://caliper.example.com/cli']);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stderr, /warning: backend: CALIPER_EVENTS_ENABLED is false, so this Caliper router receives nothing/);
  });

  it('shows why on the router list and on its page', async () => {
    const client = new AdminClient(service.url);
    assert.equal((await client.signIn(ADMIN_TOKEN)).status, 303);
    const list = await client.get('/admin/routers');
    assert.match(list.text, /class="backend-off small">CALIPER_EVENTS_ENABLED is false, so this Caliper router receives nothing/);
    const routers = (await call(service.url, 'GET', '/api/routers')).json.routers as Array<{ id: string; backend: string }>;
    const caliper = routers.find((r) => r.backend === 'caliper');
    const xapi = routers.find((r) => r.backend === 'xapi');
    assert.ok(caliper && xapi);
    assert.match((await client.get(`/admin/routers/${caliper.id}`)).text, /notice-warning[^>]*>CALIPER_EVENTS_ENABLED is false/);
    assert.doesNotMatch((await client.get(`/admin/routers/${xapi.id}`)).text, /EVENTS_ENABLED is false/);
  });
});

describe("the xapi_tracking stream with ERB's toggle on and no destination", () => {
  it('is not written to stdout, among the service log', { timeout: 120_000 }, async () => {
    await postEvents(
      service.url,
      buildEvents(20).map((e) => JSON.stringify(e)),
    );
    await eventually(
      () => lrs.accepted().length > 0,
      60_000,
      () => `statements delivered: ${lrs.accepted().length}`,
    );
    const lines = service
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '');
    assert.ok(lines.length > 0, 'the service log is on stdout');
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      assert.equal(record['actor'], undefined, `a statement on stdout: ${line.slice(0, 200)}`);
      assert.ok('msg' in record, `a service log line: ${line.slice(0, 200)}`);
    }
  });
});

describe('start-up notes', () => {
  it('name the admin page, the routers, the LMS and the statement log; no first-run example once routers exist', { timeout: 120_000 }, async () => {
    const first = service.stderr();
    assert.match(first, /admin page: http:\/\/[^/]+\/admin;/);
    assert.match(first, /routers: none yet/);
    assert.match(first, /Add a router: on the admin page/);
    await service.stop();
    service = await startService(dir.path, settings);
    const notes = service.stderr();
    assert.match(notes, /admin page: http:\/\/[^/]+\/admin;/);
    assert.match(notes, /^routers: 1 xAPI \(1 enabled\), 2 Caliper \(1 enabled; CALIPER_EVENTS_ENABLED is false, so they receive nothing\)$/m);
    assert.match(notes, /^LMS: http:\/\/lms\.example\.com$/m);
    assert.match(notes, /^statement log: off /m);
    assert.match(notes, /^identity: /m);
    assert.equal(notes.match(/^identity: /gm)?.length, 1, 'one identity notice');
    assert.doesNotMatch(notes, /Add a router|lrs\.example\.com|Send events/);
    assert.match(notes, /manage routers: http:\/\/[^/]+\/admin\/routers/);
  });
});
