import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, lrsAccepts, startFakeLrs, statementsOf, type FakeLrs, type Responder } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import {
  addRouter,
  baseSettings,
  call,
  eventually,
  metric,
  postEvents,
  runCli,
  scratch,
  startService,
  waitForRouters,
  type RunningService,
} from './support.js';

/**
 * Acceptance (issue #5): a batch with one invalid statement — all the others are delivered, that
 * one is dead-lettered with its reason, visible with `dead-letters list` (CLI) and
 * /api/dead-letters; retry (REST and CLI) puts it back in the outbox, purge deletes it.
 */
const dir = scratch('dead');
const dataDir = join(dir.path, 'data');
let lrs: FakeLrs;
let service: RunningService;
let routerId: string;
const events = buildEvents(600);
const ctx = serviceContext();
const statements = events.flatMap((e) => transformed('xapi', e, ctx));
const expected = new Set(statements.map(idOf));
// Three statements the LRS refuses (its validation would), spread over different batches.
const bad = [statements[17], statements[250], statements[431]].map((s) => idOf(s));
let refuse = new Set(bad);

const refusing: Responder = (request, index) =>
  statementsOf(request.body).some((s) => refuse.has(idOf(s)))
    ? { status: 400, body: { error: 'invalid statement: object.definition.type is not an IRI' } }
    : lrsAccepts(request, index);

before(async () => {
  lrs = await startFakeLrs(refusing);
  service = await startService(dir.path, baseSettings(dataDir));
  routerId = await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe('dead letters', () => {
  it('delivers every other statement of the batch and dead-letters the refused ones with their reason', { timeout: 120_000 }, async () => {
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
    );
    const good = [...expected].filter((id) => !bad.includes(id));
    await eventually(
      async () => good.every((id) => lrs.acceptedIds().includes(id)) && (await metric(service.url, 'edx_event_router_events_dropped_total')) === 3,
      90_000,
      () => `the good statements and 3 dead letters (have ${new Set(lrs.acceptedIds()).size}/${good.length})`,
    );
    assert.equal(lrs.acceptedIds().filter((id) => bad.includes(id)).length, 0);
    assert.equal(await metric(service.url, 'edx_event_router_events_dropped_total', { reason: 'lrs_rejected', stage: 'delivery' }), 3);

    const cli = await runCli(['dead-letters', 'list', '--data-dir', dataDir, '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const listed = cli.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    assert.deepEqual(listed.map((l) => l['statementId']).sort(), [...bad].sort());
    for (const letter of listed) {
      assert.equal(letter['reason'], 'lrs_rejected');
      assert.equal(letter['response'].statusCode, 400);
      assert.match(letter['response'].body, /not an IRI/);
      assert.equal(letter['payload'].id, letter['statementId']);
      // Sent, refused, dead-lettered: the refused attempt counts.
      assert.equal(letter['attempts'], 1);
    }
    // Looking at dead letters transforms nothing: no word about LMS_ROOT_URL.
    assert.doesNotMatch(cli.stderr, /LMS_ROOT_URL/);

    // --router takes a unique id prefix, as `routers update` does; a table has its header row.
    const byPrefix = await runCli(['dead-letters', 'list', '--data-dir', dataDir, '--router', routerId.slice(0, 6)]);
    assert.equal(byPrefix.code, 0, byPrefix.stderr);
    const rows = byPrefix.stdout.trim().split('\n');
    assert.equal(rows[0], 'ID\tDEAD_AT\tROUTER\tREASON\tSTATUS\tEVENT\tSTATEMENT_ID\tDETAIL');
    assert.equal(rows.length, 4);
    for (const row of rows.slice(1)) assert.equal(row.split('\t')[2], routerId);
    const text = await runCli(['dead-letters', 'list', '--data-dir', dataDir]);
    assert.match(text.stdout, /lrs_rejected\t400/);

    const api = await call(service.url, 'GET', '/api/dead-letters');
    assert.equal(api.status, 200);
    assert.equal(api.json.deadLetters.length, 3);
    for (const letter of api.json.deadLetters as Array<Record<string, unknown>>) assert.equal(letter['eventId'], letter['statementId']);
    assert.equal((await call(service.url, 'GET', '/api/dead-letters', undefined, { token: null })).status, 401);
  });

  it('retry puts them back in the outbox (REST and CLI); purge deletes them', { timeout: 60_000 }, async () => {
    refuse = new Set();
    const [first, second, third] = ((await call(service.url, 'GET', '/api/dead-letters')).json.deadLetters as Array<{ id: string; statementId: string }>).sort(
      (a, b) => Number(a.id) - Number(b.id),
    );
    assert.ok(first && second && third);
    assert.equal((await call(service.url, 'POST', '/api/dead-letters/retry', {})).status, 400, 'an empty selector selects nothing');
    const retried = await call(service.url, 'POST', '/api/dead-letters/retry', { ids: [first.id] });
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.json.moved, 1);
    await lrs.waitFor(() => lrs.acceptedIds().includes(first.statementId), 20_000, 'the statement retried through the API');

    const cli = await runCli(['dead-letters', 'retry', '--data-dir', dataDir, '--ids', second.id]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /moved 1/);
    // Another process changed the outbox: the running service finds the item at its next poll.
    await lrs.waitFor(() => lrs.acceptedIds().includes(second.statementId), 20_000, 'the statement retried through the CLI');

    const unknown = await runCli(['dead-letters', 'retry', '--data-dir', dataDir, '--router', 'nonexistent']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /--router: no router with id nonexistent/);
    assert.doesNotMatch(unknown.stdout, /moved/);

    const refused = await runCli(['dead-letters', 'purge', '--data-dir', dataDir]);
    assert.equal(refused.code, 2, 'purge without a selection is refused');
    assert.match(refused.stderr, /select dead letters with --router, --ids or --before, or give --all/);
    const purged = await runCli(['dead-letters', 'purge', '--data-dir', dataDir, '--all']);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /purged 1/);
    assert.equal((await call(service.url, 'GET', '/api/dead-letters')).json.deadLetters.length, 0);
    assert.ok(!lrs.acceptedIds().includes(third.statementId));
    const { code } = await service.stop('SIGTERM');
    assert.equal(code, 0);
  });
});
