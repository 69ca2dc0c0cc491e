import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, startFakeLrs, statementsOf, type FakeLrs, wasAccepted } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from '../service/events.js';
import { addRouter, baseSettings, call, eventually, metric, postEvents, scratch, startService, waitForRouters } from '../service/support.js';

/**
 * Acceptance (issue #20): a plugin that throws on every event leaves the service running and
 * delivering the other events, its skips counted with reason plugin_error and logged once; a
 * plugin that takes a built-in name without `replaces` refuses start, naming the plugin and the
 * event, and with `replaces` it takes the name over.
 */
const ENROLLED = 'edx.course.enrollment.activated';
const dir = scratch('plugin-failures');
let lrs: FakeLrs;

before(async () => {
  lrs = await startFakeLrs();
});
after(async () => {
  await lrs.close();
  dir.remove();
});

function plugin(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

const throwing = (): string =>
  plugin(
    'always-fails.mjs',
    `export default { name: 'always-fails', replaces: ['${ENROLLED}'], xapi: { '${ENROLLED}': () => { throw new Error('the site database is gone'); } } };\n`,
  );

/** Takes the enrolment event over with the site's own verb: plain run methods, no imports. */
const REPLACING_BODY = `xapi: { '${ENROLLED}': (run) => run.statement({
  verb: { id: 'https://lms.example.com/xapi/verbs/enrolled', display: { en: 'enrolled' } },
  object: { id: run.iri('course', run.courseId()), objectType: 'Activity' },
}) } };\n`;

describe('plugin failures in serve', () => {
  it('a plugin throwing on every event: the other events are delivered, the skips counted and logged once', { timeout: 180_000 }, async () => {
    const service = await startService(dir.path, { ...baseSettings(join(dir.path, 'throwing')), EVENT_ROUTER_PLUGINS: [throwing()] }, { name: 'throwing' });
    try {
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}throwing/` });
      await waitForRouters(service.url, 1);
      const events = buildEvents(400);
      const failing = events.filter((e) => e['name'] === ENROLLED || e['event_type'] === ENROLLED).length;
      const ctx = serviceContext();
      const expected = new Set(
        events
          .filter((e) => e['name'] !== ENROLLED && e['event_type'] !== ENROLLED)
          .flatMap((e) => transformed('xapi', e, ctx))
          .map(idOf),
      );
      assert.ok(failing > 0 && expected.size > 100, 'the sample mix has enrolments and other events');
      await postEvents(
        service.url,
        events.map((e) => JSON.stringify(e)),
        100,
      );
      const accepted = (): Set<string> =>
        new Set(
          lrs.requests
            .filter((r) => r.url.startsWith('/throwing/') && wasAccepted(r))
            .flatMap((r) => statementsOf(r.body))
            .map(idOf),
        );
      await eventually(
        async () =>
          accepted().size >= expected.size && (await metric(service.url, 'edx_event_router_events_skipped_total', { reason: 'plugin_error' })) >= failing,
        120_000,
        () => `${expected.size} statements delivered (have ${accepted().size}) and ${failing} plugin_error skips`,
      );
      assert.deepEqual([...accepted()].sort(), [...expected].sort());
      assert.equal(await metric(service.url, 'edx_event_router_events_skipped_total', { reason: 'plugin_error', backend: 'xapi' }), failing);
      assert.equal((await call(service.url, 'GET', '/healthz', undefined, { token: null })).status, 200);
      assert.equal(service.child.exitCode, null, 'the service is still running');
      const logged = service
        .stdout()
        .split('\n')
        .filter((line) => line.includes('plugin \\"always-fails\\" failed on event'));
      assert.equal(logged.length, 1, `one log line for the plugin and event:\n${service.stdout().slice(-2000)}`);
      assert.match(logged[0] as string, /the site database is gone/);
    } finally {
      await service.stop();
    }
  });

  it('a plugin taking a built-in name without `replaces` refuses start, naming the plugin and the event', { timeout: 120_000 }, async () => {
    const path = plugin('unannounced.mjs', `export default { name: 'unannounced', ${REPLACING_BODY}`);
    await assert.rejects(
      startService(dir.path, { ...baseSettings(join(dir.path, 'refused')), EVENT_ROUTER_PLUGINS: [path] }, { name: 'refused' }),
      (error: Error) => error.message.includes('plugin unannounced') && error.message.includes(`"${ENROLLED}"`) && error.message.includes('replaces'),
    );
  });

  it('with `replaces` the plugin takes the built-in name over', { timeout: 120_000 }, async () => {
    const path = plugin('announced.mjs', `export default { name: 'announced', replaces: ['${ENROLLED}'], ${REPLACING_BODY}`);
    const service = await startService(dir.path, { ...baseSettings(join(dir.path, 'replacing')), EVENT_ROUTER_PLUGINS: [path] }, { name: 'replacing' });
    try {
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}replacing/` });
      await waitForRouters(service.url, 1);
      const enrolment = buildEvents(400).find((e) => e['name'] === ENROLLED);
      assert.ok(enrolment !== undefined);
      await postEvents(service.url, [JSON.stringify(enrolment)]);
      const delivered = (): unknown[] => lrs.requests.filter((r) => r.url.startsWith('/replacing/') && wasAccepted(r)).flatMap((r) => statementsOf(r.body));
      await eventually(
        () => delivered().length > 0,
        60_000,
        () => 'the enrolment statement',
      );
      const [statement] = delivered() as Array<{ verb: { id: string }; object: { id: string } }>;
      assert.equal(statement?.verb.id, 'https://lms.example.com/xapi/verbs/enrolled');
      assert.match(statement?.object.id ?? '', /^http:\/\/lms\.example\.com\/course\/course-v1:/);
    } finally {
      await service.stop();
    }
  });
});
