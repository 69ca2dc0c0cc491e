import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeEvent, type OpenEdxEvent } from '../../src/core/event.js';
import type { CompatMode, IfiType, TransformContext } from '../../src/transforms/shared/transform-settings.js';
import { TransformCaches } from '../../src/transforms/transform-caches.js';
import { OUTPUT_FORMATS, transformEvent, type OutputFormat } from '../../src/transforms/transform-event.js';
import { fixtureContext } from '../support/fixture-context.js';
import { erbFixturesDir } from '../support/paths.js';

// The transformers remember verb namespaces, actor bytes and id prefixes in their context's
// caches (src/transforms/transform-caches.ts). Each cache is right only if its key holds all its
// value depends on; should one miss something, an event transformed after others would differ
// from the same event transformed first. Here every fixture goes through one context that has
// seen all the others, and through a new context of its own, and the two must agree byte for byte.

const dir = erbFixturesDir();
const events: ReadonlyArray<{ file: string; event: OpenEdxEvent }> = readdirSync(join(dir, 'events'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((file) => {
    const normalized = normalizeEvent(JSON.parse(readFileSync(join(dir, 'events', file), 'utf8')));
    return normalized.ok ? [{ file, event: normalized.event }] : [];
  });

const IFI_TYPES: readonly IfiType[] = ['external_id', 'mbox', 'mbox_sha1sum'];
const COMPAT_MODES: readonly CompatMode[] = ['valid', 'erb'];
const OTHER_LMS = 'https://courses.example.org';

function text(format: OutputFormat, event: OpenEdxEvent, ctx: TransformContext): string {
  return JSON.stringify(transformEvent(format, event, ctx));
}

describe('transform caches: a context that has seen every fixture gives what a new one gives', () => {
  it('reads the fixtures', () => assert.ok(events.length > 50, `${events.length} fixtures`));

  for (const format of OUTPUT_FORMATS) {
    for (const compat of COMPAT_MODES) {
      for (const ifiType of IFI_TYPES) {
        it(`${format}, --compat ${compat}, ${ifiType}`, () => {
          const caches = new TransformCaches();
          // Two contexts sharing caches, as copies of one context with other settings would.
          const warm = fixtureContext(compat, { ifiType, caches });
          const warmOtherLms = fixtureContext(compat, { ifiType, caches, lmsUrl: OTHER_LMS });
          for (const { event } of events) text(format, event, warm);
          let produced = 0;
          // Backwards, then forwards: each event after every other, both ways round.
          for (const { file, event } of [...events].reverse().concat(events)) {
            const cold = text(format, event, fixtureContext(compat, { ifiType }));
            assert.equal(text(format, event, warm), cold, file);
            const coldOtherLms = text(format, event, fixtureContext(compat, { ifiType, lmsUrl: OTHER_LMS }));
            assert.equal(text(format, event, warmOtherLms), coldOtherLms, `${file}, ${OTHER_LMS}`);
            if (cold.startsWith('{"ok":true')) {
              produced++;
              // The account's home page is the LMS URL: another URL, another actor and id.
              if (format === 'xapi' && ifiType === 'external_id') assert.notEqual(coldOtherLms, cold, `${file}: same output for two LMS URLs`);
            }
          }
          assert.ok(produced > events.length, `${produced} outputs compared`);
        });
      }
    }
  }
});
