import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/paths.js';
import { runtimeFromSettings, transformUnit, unitOf, type LineTransformSettings, type UnitOutput } from './transform-lines.js';

const record = (out: UnitOutput, i: number): string => out.records.slice(i === 0 ? 0 : out.recordEnds[i - 1], out.recordEnds[i]);

const samples = readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8').split('\n').filter(Boolean);
const settings = (over: Partial<LineTransformSettings> = {}): LineTransformSettings => ({
  format: 'xapi',
  context: { lmsUrl: 'http://lms.example', transformerVersion: 'test', ifiType: 'external_id', compat: 'valid', lookupsFile: join(repoRoot(), 'samples', 'lookups.json') },
  filter: {},
  encoding: 'json',
  withSourceEvents: false,
  ...over,
});

describe('transformUnit', () => {
  it('maps each record to its line and reports every line that produced nothing', () => {
    const lines = [samples[0] as string, '', 'garbage', `prefix - ${samples[0] as string}`, '{"name": "unknown.event", "timestamp": "2024-01-01T00:00:00Z"}'];
    const out = transformUnit(unitOf(lines), runtimeFromSettings(settings()));
    assert.equal(out.linesRead, 4);
    assert.equal(out.eventsTransformed, 2);
    assert.deepEqual(out.recordLine, [0, 3]);
    assert.equal(record(out, 0), record(out, 1));
    assert.equal(JSON.parse(record(out, 0)).id, out.ids[0]);
    assert.deepEqual(out.skips.map((s) => [s.index, s.reason]), [[2, 'unparsable_line'], [4, 'unsupported_event']]);
    assert.equal(out.sourceEvents, undefined);
  });

  it('applies the selection before transforming, and hands source events over when asked', () => {
    const out = transformUnit(unitOf([samples[0] as string]), runtimeFromSettings(settings({ filter: { names: ['nothing'] } })));
    assert.deepEqual(out.skips.map((s) => s.reason), ['event_not_selected']);
    const withEvents = transformUnit(unitOf([samples[0] as string]), runtimeFromSettings(settings({ withSourceEvents: true })));
    assert.equal(withEvents.sourceEvents?.[0]?.name, JSON.parse(samples[0] as string).name);
  });
});
