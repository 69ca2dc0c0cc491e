import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/paths.js';
import type { RoutingSettings } from './event-routing.js';
import { recordAt } from './record-bytes.js';
import { runtimeFromSettings, transformUnit, unitOf, type LineTransformSettings, type UnitOutput } from './transform-lines.js';

const record = (out: UnitOutput, i: number): string => recordAt(out.records, out.recordEnds, i).toString('utf8');

const samples = readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean);
const settings = (over: Partial<LineTransformSettings> = {}): LineTransformSettings => ({
  format: 'xapi',
  context: {
    lmsUrl: 'http://lms.example',
    transformerVersion: 'test',
    ifiType: 'external_id',
    compat: 'valid',
    lookupsFile: join(repoRoot(), 'samples', 'lookups.json'),
  },
  filter: {},
  encoding: 'json',
  ...over,
});

describe('transformUnit', () => {
  it('maps each record to its line and reports every line that produced nothing', async () => {
    const lines = [samples[0] as string, '', 'garbage', `prefix - ${samples[0] as string}`, '{"name": "unknown.event", "timestamp": "2024-01-01T00:00:00Z"}'];
    const out = await transformUnit(unitOf(lines), await runtimeFromSettings(settings()));
    assert.equal(out.linesRead, 4);
    assert.equal(out.eventsTransformed, 2);
    assert.deepEqual(out.recordLine, [0, 3]);
    assert.equal(record(out, 0), record(out, 1));
    assert.equal(JSON.parse(record(out, 0)).id, out.ids[0]);
    assert.deepEqual(
      out.skips.map((s) => [s.index, s.reason]),
      [
        [2, 'unparsable_line'],
        [4, 'unsupported_event'],
      ],
    );
    assert.equal(out.routes, undefined);
  });

  it('applies the selection before transforming', async () => {
    const out = await transformUnit(unitOf([samples[0] as string]), await runtimeFromSettings(settings({ filter: { names: ['nothing'] } })));
    assert.deepEqual(
      out.skips.map((s) => s.reason),
      ['event_not_selected'],
    );
  });

  it('encodes records as UTF-8 bytes, non-ASCII text included', async () => {
    const event = JSON.parse(samples[0] as string) as Record<string, unknown>;
    const context = { ...(event['context'] as Record<string, unknown>), course_id: 'course-v1:édX+Démo+ü_☃' };
    const out = await transformUnit(unitOf([JSON.stringify({ ...event, context })]), await runtimeFromSettings(settings()));
    assert.equal(out.recordEnds.length, 1);
    assert.equal(out.recordEnds[0], out.records.byteLength);
    assert.match(record(out, 0), /édX\+Démo\+ü_☃/);
    assert.equal(JSON.parse(record(out, 0)).id, out.ids[0]);
  });

  it('with routing: applies the backend filter, then matches each router on the source event', async () => {
    const names = samples.map((line) => String((JSON.parse(line) as { name: string }).name));
    const kept = names.find((name) => name.startsWith('edx.video.')) ?? 'play_video';
    const routing: RoutingSettings = {
      backend: 'xapi',
      processors: [{ engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['edx\\.video\\.', 'play_video', 'edx\\.course\\.enrollment'] }],
      routers: [
        { id: 'videos', configurations: { match_params: { name: ['video'] } } },
        { id: 'everything', configurations: null },
        { id: 'demo-course-only', configurations: { match_params: { 'context.course_id': 'NoSuchCourse' } } },
      ],
    };
    const out = await transformUnit(unitOf(samples), await runtimeFromSettings(settings({ routing })));
    assert.ok(
      out.skips.some((s) => s.reason === 'filtered'),
      'events outside the allow-list are filtered',
    );
    assert.ok(out.recordEnds.length > 0);
    assert.equal(out.routes?.length, out.recordEnds.length * 3);
    for (let r = 0; r < out.recordEnds.length; r++) {
      const taken = (router: number): number | undefined => out.routes?.[3 * r + router];
      const [videos, everything, none] = [taken(0), taken(1), taken(2)];
      assert.equal(everything, 1);
      assert.equal(none, 0);
      assert.equal(videos, /video/.test(out.names[r] as string) ? 1 : 0, out.names[r]);
    }
    assert.ok(out.names.includes(kept));
    const nobody: RoutingSettings = { ...routing, routers: routing.routers.slice(2) };
    const unmatched = await transformUnit(
      unitOf([samples.find((line) => line.includes(kept)) as string]),
      await runtimeFromSettings(settings({ routing: nobody })),
    );
    assert.deepEqual(
      unmatched.skips.map((s) => s.reason),
      ['no_matching_router'],
    );
    assert.equal(unmatched.recordEnds.length, 0);
  });
});
