import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildEvents } from './events.js';
import { addRouter, baseSettings, call, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * Acceptance (issue #16, item 6): `/readyz` is not ready whenever ingest would refuse, and says
 * why. Here the inbox: with its bound at 300 and 200 events waiting, a request of 200 events is
 * refused; /readyz must fail on the inbox from then on, although 200 is below 90 % of 300.
 */
const dir = scratch('readiness');
let service: RunningService;
const lines = buildEvents(400).map((e) => JSON.stringify(e));
const readyz = () => call(service.url, 'GET', '/readyz', undefined, { token: null });
const inboxCheck = async () => ((await readyz()).json.checks as Array<{ name: string; ok: boolean; detail?: string }>).find((c) => c.name === 'inbox');

before(async () => {
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    EVENT_ROUTER_INBOX_MAX_DEPTH: 300,
    // No batch fits into an outbox of one statement: the pipeline leaves the events in the inbox.
    EVENT_ROUTER_OUTBOX_MAX_DEPTH: 1,
  });
  await addRouter(service.url, { backend: 'xapi', routeUrl: 'http://127.0.0.1:9/xapi/' });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  dir.remove();
});

describe('/readyz follows ingest', () => {
  it('fails on the inbox once a request was refused for want of room, and says so', { timeout: 60_000 }, async () => {
    const first = await call(service.url, 'POST', '/events', lines.slice(0, 200).join('\n'), { token: null, contentType: 'application/x-ndjson' });
    assert.equal(first.status, 202, first.text);
    assert.deepEqual(await inboxCheck(), { name: 'inbox', ok: true, detail: '200 of at most 300 events' });

    const refused = await call(service.url, 'POST', '/events', lines.slice(200, 400).join('\n'), { token: null, contentType: 'application/x-ndjson' });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.error, 'queue_overflow');
    assert.equal(
      refused.json.message,
      'the inbox holds 200 events and takes at most 300 (EVENT_ROUTER_INBOX_MAX_DEPTH): the 200 events of this request do not fit; send again later',
    );
    const answer = await readyz();
    assert.equal(answer.status, 503);
    assert.equal(answer.json.status, 'not_ready');
    assert.deepEqual(await inboxCheck(), {
      name: 'inbox',
      ok: false,
      detail: '200 of at most 300 events; a request of 200 events was refused and would not fit yet',
    });
  });
});
