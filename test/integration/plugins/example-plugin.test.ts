import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLrs, statementsOf, type FakeLrs, wasAccepted } from '../../fakes/fake-lrs.js';
import { repoRoot } from '../../support/paths.js';
import { addRouter, baseSettings, eventually, postEvents, runCli, scratch, startService, waitForRouters } from '../service/support.js';

/**
 * Acceptance (issue #20): the example plugin, loaded by path, transforms its event the same way in
 * `transform --plugin`, `replay --routers` (EVENT_ROUTER_PLUGINS) and a real `serve` child process
 * delivering to a fake LRS, and all three equal the example's golden file.
 */
const examples = join(repoRoot(), 'examples', 'plugins');
const PLUGIN = join(examples, 'bookmarks.js');
const expected = JSON.parse(readFileSync(join(examples, 'bookmarks.expected.json'), 'utf8')) as unknown[];
const event = JSON.parse(readFileSync(join(examples, 'bookmarks.event.json'), 'utf8')) as Record<string, unknown>;
const TRANSFORMER_VERSION = 'example-site@1';
const dir = scratch('example-plugin');
let lrs: FakeLrs;

before(async () => {
  lrs = await startFakeLrs();
});
after(async () => {
  await lrs.close();
  dir.remove();
});

function settings(dataDir: string): Record<string, unknown> {
  return { ...baseSettings(dataDir), EVENT_ROUTER_TRANSFORMER_VERSION: TRANSFORMER_VERSION, EVENT_ROUTER_PLUGINS: [PLUGIN] };
}

describe('the example plugin in every entry point', () => {
  it('transform --plugin: the golden statements', async () => {
    const input = join(dir.path, 'bookmarks.log');
    writeFileSync(input, `${JSON.stringify(event)}\n`);
    const base = baseSettings('');
    const run = await runCli([
      'transform',
      '--plugin',
      PLUGIN,
      '--lookups',
      String(base['EVENT_ROUTER_LOOKUPS_FILE']),
      '--lms-url',
      String(base['LMS_ROOT_URL']),
      '--transformer-version',
      TRANSFORMER_VERSION,
      input,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
      expected,
    );
  });

  it('events --plugin: each name with where its transformer comes from', async () => {
    const run = await runCli(['events', '--plugin', PLUGIN]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.stdout.includes(`edx.bookmark.added\n  xAPI: yes (plugin example-bookmarks (${PLUGIN}))\n  Caliper: no (no Caliper transformer)\n`),
      run.stdout,
    );
    assert.ok(run.stdout.includes('edx.course.enrollment.activated\n  xAPI: yes (built-in)\n'));
    assert.ok(run.stdout.includes('openedx.ai.workflow.completed\n  xAPI: yes (plugin openedx-ai-extensions 2.9.1 (bundled port))\n'));
  });

  it('replay --routers with EVENT_ROUTER_PLUGINS: the golden statements at the LRS', async () => {
    const dataDir = join(dir.path, 'replay-data');
    const config = join(dir.path, 'replay.json');
    writeFileSync(config, JSON.stringify(settings(dataDir)));
    const input = join(dir.path, 'tracking.log');
    writeFileSync(input, `${JSON.stringify(event)}\n`);
    const added = await runCli(['routers', 'add', '--config', config, '--backend', 'xapi', '--url', `${lrs.url}replay/`]);
    assert.equal(added.code, 0, added.stderr);
    const run = await runCli(['replay', input, '--routers', '--config', config, '--no-checkpoint', '--no-progress', '--workers', '1']);
    assert.equal(run.code, 0, run.stderr);
    const delivered = lrs.requests.filter((r) => r.url.startsWith('/replay/') && wasAccepted(r)).flatMap((r) => statementsOf(r.body));
    assert.deepEqual(delivered, expected);
  });

  it('serve with EVENT_ROUTER_PLUGINS: the golden statements at the LRS', { timeout: 120_000 }, async () => {
    const service = await startService(dir.path, settings(join(dir.path, 'serve-data')), { name: 'serve' });
    try {
      await addRouter(service.url, { backend: 'xapi', routeUrl: `${lrs.url}serve/` });
      await waitForRouters(service.url, 1);
      await postEvents(service.url, [JSON.stringify(event)]);
      const delivered = (): unknown[] => lrs.requests.filter((r) => r.url.startsWith('/serve/') && wasAccepted(r)).flatMap((r) => statementsOf(r.body));
      await eventually(
        () => delivered().length > 0,
        60_000,
        () => `a delivery to the LRS (stderr: ${service.stderr()})`,
      );
      assert.deepEqual(delivered(), expected);
    } finally {
      await service.stop();
    }
  });
});
