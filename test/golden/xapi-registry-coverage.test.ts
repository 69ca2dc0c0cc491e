import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeEvent } from '../../src/core/event.js';
import { XAPI_TRANSFORMERS } from '../../src/transforms/xapi/registry.js';
import { transformXapi } from '../../src/transforms/xapi/transform.js';
import { XAPI_UNSUPPORTED } from '../../src/transforms/xapi/unsupported.js';
import { fixtureContext } from '../support/fixture-context.js';
import { erbFixturesDir } from '../support/paths.js';

const dir = join(erbFixturesDir(), 'events');
const fixtureEvents = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, event: JSON.parse(readFileSync(join(dir, file), 'utf8')) as { name: string } }));
const fixtureNames = new Set(fixtureEvents.map(({ event }) => event.name));

/**
 * Registered names without an ERB fixture, and why each is covered anyway: it is an alias that
 * runs the same transformer as a name that has a fixture (checked below by transforming the
 * fixture under the alias name).
 */
const ALIAS_OF: Record<string, string> = {
  'edx.ui.lms.sequence.outline.selected': 'edx.ui.lms.outline.selected',
  'edx.video.loaded': 'load_video',
  'edx.video.played': 'play_video',
  'edx.video.paused': 'pause_video',
  'edx.video.stopped': 'stop_video',
  'edx.video.completed': 'complete_video',
  'edx.video.transcript.shown': 'show_transcript',
  'edx.video.transcript.hidden': 'hide_transcript',
};

describe('xAPI registry coverage', () => {
  it('every registered event name has a fixture or is a documented alias of one', () => {
    const uncovered = [...XAPI_TRANSFORMERS.keys()].filter((name) => !fixtureNames.has(name) && !(name in ALIAS_OF));
    assert.deepEqual(uncovered, []);
  });

  it('every fixture input has a transformer or is listed as unsupported', () => {
    const orphans = [...fixtureNames].filter((name) => !XAPI_TRANSFORMERS.has(name) && !(name in XAPI_UNSUPPORTED));
    assert.deepEqual(orphans, []);
  });

  it('no name is both registered and listed as unsupported', () => {
    assert.deepEqual(
      Object.keys(XAPI_UNSUPPORTED).filter((name) => XAPI_TRANSFORMERS.has(name)),
      [],
    );
  });

  for (const [alias, original] of Object.entries(ALIAS_OF)) {
    it(`${alias} transforms like ${original}`, () => {
      const fixture = fixtureEvents.find(({ event }) => event.name === original);
      assert.ok(fixture, `no fixture for ${original}`);
      const asOriginal = normalizeEvent(fixture.event);
      const asAlias = normalizeEvent({ ...fixture.event, name: alias });
      assert.ok(asOriginal.ok && asAlias.ok);
      const a = transformXapi(asOriginal.event, fixtureContext('valid'));
      const b = transformXapi(asAlias.event, fixtureContext('valid'));
      assert.ok(a.ok && b.ok, 'both names transform');
      // Same statement, same id: the alias and the legacy name describe one action.
      assert.deepEqual(b.statements, a.statements);
    });
  }
});
