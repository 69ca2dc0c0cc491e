import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { idOf, startFakeLrs, statementsOf, type FakeLrs } from '../../fakes/fake-lrs.js';
import { buildEvents, serviceContext, transformed } from './events.js';
import { addRouter, baseSettings, eventually, postEvents, scratch, startService, waitForRouters, type RunningService } from './support.js';

/**
 * EVENT_ROUTER_TRACKING_LOG_FORMAT=erb: the `xapi_tracking` log written as ERB's LMS logging
 * writes it, so Aspects' Vector pipeline reads it unchanged. Its expression, as Aspects
 * configures it, extracts from every line a JSON equal to the statement the LRS received.
 */
const VECTOR_XAPI = /^.* \[xapi_tracking\] [^{}]* (\{.*\})$/;
const dir = scratch('erb-log-form');
const logFile = join(dir.path, 'lms-style.log');
let lrs: FakeLrs;
let service: RunningService;

before(async () => {
  lrs = await startFakeLrs();
  service = await startService(dir.path, {
    ...baseSettings(join(dir.path, 'data')),
    XAPI_EVENT_LOGGING_ENABLED: true,
    EVENT_ROUTER_XAPI_TRACKING_LOG: logFile,
    EVENT_ROUTER_TRACKING_LOG_FORMAT: 'erb',
  });
  await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}xapi/` });
  await waitForRouters(service.url, 1);
});

after(async () => {
  if (service?.child.exitCode === null) await service.stop('SIGKILL');
  await lrs.close();
  dir.remove();
});

describe("statement log in ERB's line form", () => {
  it('Vector’s expression extracts from every line the JSON of the statement sent', { timeout: 120_000 }, async () => {
    const events = buildEvents(500);
    const expected = new Set(events.flatMap((e) => transformed('xapi', e, serviceContext())).map(idOf));
    assert.ok(expected.size > 300);
    await postEvents(
      service.url,
      events.map((e) => JSON.stringify(e)),
      250,
    );

    const sent = new Map<string, unknown>();
    await eventually(
      () => {
        for (const request of lrs.requests) if ((request.status ?? 500) < 300) for (const s of statementsOf(request.body)) sent.set(idOf(s), s);
        return sent.size >= expected.size;
      },
      60_000,
      () => `${sent.size} of ${expected.size} statements sent`,
    );
    const read = (): string[] =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
    await eventually(
      () => read().length >= expected.size,
      10_000,
      () => `${read().length} log lines`,
    );

    const lines = read();
    assert.equal(lines.length, expected.size, 'one line per statement');
    const logged = new Set<string>();
    for (const line of lines) {
      const match = VECTOR_XAPI.exec(line);
      assert.ok(match?.[1] !== undefined, `Vector's expression does not match: ${line.slice(0, 200)}`);
      const statement: unknown = JSON.parse(match[1]);
      const id = idOf(statement);
      assert.deepEqual(statement, sent.get(id), `the logged statement ${id} equals the one sent`);
      logged.add(id);
    }
    assert.deepEqual([...logged].sort(), [...expected].sort());
  });
});
