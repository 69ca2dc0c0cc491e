import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { startFakeLms, type FakeLms } from '../../fakes/fake-lms.js';
import { idOf, startFakeLrs, statementsOf, wasAccepted, type FakeLrs } from '../../fakes/fake-lrs.js';
import { addRouter, baseSettings, eventually, metric, postEvents, startService, waitForRouters } from '../service/support.js';
import { logLines, PREFIX, runCli, scratch, type Scratch } from './support.js';

const COUNT = 400;
const DEMO_COURSE = 'course-v1:edX+DemoX+Demo_Course';
const LOOKUPS_ANONYMOUS_ID = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';

/**
 * Every third event is about a learner the lookups file does not know (users 901-905): the
 * service mints their ids into the local store, and a replay must find them there.
 */
function trackingLines(): string[] {
  return logLines(COUNT).map((line, i) => {
    if (i % 3 !== 0) return line;
    const learner = 901 + (i % 5);
    return line.replace(/"username":"[^"]*"/g, `"username":"learner-${learner}"`).replace(/"user_id":\s*\d+/g, `"user_id":${learner}`);
  });
}

const eventName = (line: string): string => String((JSON.parse(line.slice(PREFIX.length)) as { name: string }).name);

const actorKey = (statement: unknown): string => JSON.stringify((statement as { actor?: unknown }).actor);

/**
 * The acceptance test of one routing core: the same tracking-log events, with users from the
 * lookups file and from the local store (minted ids), course names from the LMS, a backend
 * filter, match_params and override_args, go once through `serve` and once through
 * `replay --routers`; the LRS must receive the same statements, ids and actors included.
 */
describe('serve and replay --routers deliver the same statements', () => {
  let dir: Scratch;
  let lrs: FakeLrs;
  let lms: FakeLms;
  let settings: Record<string, unknown>;
  let settingsFile: string;
  let lines: string[];
  const fromServe = new Map<string, unknown>();

  before(async () => {
    dir = scratch('serve-vs-replay');
    [lrs, lms] = await Promise.all([startFakeLrs(), startFakeLms({ courses: { [DEMO_COURSE]: 'Demonstration Course (from the LMS)' } })]);
    lines = trackingLines();
    const allowed = [...new Set(lines.map(eventName))].filter((name) => !name.startsWith('edx.forum.'));
    settings = {
      ...baseSettings(join(dir.path, 'data')),
      EVENT_ROUTER_IDENTITY_SOURCES: ['lookups-file', 'local-store'],
      EVENT_ROUTER_MISSING_ID_POLICY: 'mint',
      EVENT_ROUTER_COURSE_NAME_SOURCES: ['lms-api', 'lookups-file'],
      EVENT_ROUTER_LMS_API_URL: lms.url,
      EVENT_ROUTER_LMS_API_CLIENT_ID: lms.clientId,
      EVENT_ROUTER_LMS_API_CLIENT_SECRET: lms.clientSecret,
      EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS: allowed,
    };
  });
  after(async () => {
    await Promise.all([lrs?.close(), lms?.close()]);
    dir?.remove();
  });

  it('serve delivers the events through its pipeline', { timeout: 120_000 }, async () => {
    const service = await startService(dir.path, settings);
    settingsFile = join(dir.path, 'settings.json');
    try {
      await addRouter(service.url, {
        backend: 'xapi',
        routeUrl: `${lrs.url}xapi/`,
        configurations: {
          match_params: { name: ['video', 'problem', 'enrollment'] },
          override_args: { authority: { objectType: 'Agent', name: 'backfill', mbox: 'mailto:backfill@example.com' } },
        },
      });
      await waitForRouters(service.url, 1);
      await postEvents(
        service.url,
        lines.map((line) => line.slice(PREFIX.length)),
        100,
      );
      await eventually(
        async () =>
          (await metric(service.url, 'edx_event_router_inbox_depth')) === 0 &&
          (await metric(service.url, 'edx_event_router_statements_queued_total')) > 0 &&
          (await metric(service.url, 'edx_event_router_queue_depth')) === 0,
        90_000,
        () => 'the inbox and the outbox to empty',
      );
    } finally {
      await service.stop();
    }
    for (const request of lrs.requests.filter(wasAccepted)) for (const statement of statementsOf(request.body)) fromServe.set(idOf(statement), statement);
    const actors = new Set([...fromServe.values()].map(actorKey));
    assert.ok(fromServe.size > 50, `serve delivered ${fromServe.size} statements`);
    assert.ok(
      [...actors].some((actor) => actor.includes(LOOKUPS_ANONYMOUS_ID)),
      'actors from the lookups file',
    );
    assert.ok(
      [...actors].some((actor) => !actor.includes(LOOKUPS_ANONYMOUS_ID)),
      'actors minted into the local store',
    );
    assert.ok(JSON.stringify([...fromServe.values()]).includes('(from the LMS)'), 'course names from the LMS');
    for (const statement of fromServe.values()) {
      assert.equal((statement as { authority?: { name?: string } }).authority?.name, 'backfill', "the router's override_args");
    }
  });

  it('replay --routers delivers the same statements, with the same ids and actors', { timeout: 120_000 }, async () => {
    assert.ok(fromServe.size > 0, 'serve ran first');
    lrs.requests.length = 0;
    const log = dir.file('logs/tracking.log', lines.join('\n') + '\n');
    const run = await runCli(['replay', log, '--routers', '--config', settingsFile, '--batch-size', '50', '--no-checkpoint', '--no-progress']);
    const fromReplay = new Map<string, unknown>();
    // Every request, accepted or not: the LRS still holds serve's statements and refuses (409) a different one with the same id.
    for (const request of lrs.requests) for (const statement of statementsOf(request.body)) fromReplay.set(idOf(statement), statement);
    assert.deepEqual([...fromReplay.keys()].sort(), [...fromServe.keys()].sort(), 'the same statement ids');
    for (const [id, statement] of fromReplay) {
      assert.equal(actorKey(statement), actorKey(fromServe.get(id)), `the actor of ${id}`);
      assert.ok(isDeepStrictEqual(statement, fromServe.get(id)), `statement ${id} differs between serve and replay`);
    }
    assert.equal(run.code, 0, run.stderr);
  });
});
