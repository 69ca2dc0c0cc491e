import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeEvent, type OpenEdxEvent } from '../../src/core/event.js';
import type { CaliperEvent } from '../../src/transforms/caliper/caliper-event.js';
import { checkCaliperEvent } from '../../src/transforms/caliper/structural-check.js';
import { transformCaliper } from '../../src/transforms/caliper/transform.js';
import type { CompatMode } from '../../src/transforms/shared/transform-settings.js';
import { FIXTURE_LOOKUPS, fixtureContext } from '../support/fixture-context.js';
import { erbFixturesDir } from '../support/paths.js';
import { expectedValidCaliper } from './caliper-differences.js';

const dir = erbFixturesDir();
const expectedFiles = readdirSync(join(dir, 'caliper'))
  .filter((f) => f.endsWith('.json'))
  .sort();
const inputFiles = readdirSync(join(dir, 'events'))
  .filter((f) => f.endsWith('.json'))
  .sort();
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function loadEvent(file: string): OpenEdxEvent {
  const normalized = normalizeEvent(JSON.parse(readFileSync(join(dir, 'events', file), 'utf8')));
  assert.ok(normalized.ok, `fixture ${file} did not normalise`);
  return normalized.event;
}

function loadExpected(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'caliper', file), 'utf8')) as Record<string, unknown>;
}

function withoutId(event: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  return rest;
}

function transformOne(file: string, mode: CompatMode): CaliperEvent {
  const outcome = transformCaliper(loadEvent(file), fixtureContext(mode));
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  assert.equal(outcome.statements.length, 1);
  return outcome.statements[0] as CaliperEvent;
}

describe('Caliper goldens, compat erb: equal to ERB whole except the (random in ERB) id', () => {
  for (const file of expectedFiles) {
    it(file, () => {
      if (file.includes('anonymous')) {
        const outcome = transformCaliper(loadEvent(file), fixtureContext('erb'));
        assert.equal(outcome.ok ? 'produced' : outcome.reason, 'unknown_user');
        return;
      }
      const event = transformOne(file, 'erb');
      assert.match(event.id, URN_UUID);
      assert.deepEqual(withoutId(event), withoutId(loadExpected(file)));
    });
  }
});

describe('Caliper goldens, default mode: ERB with only the documented differences, and structurally valid', () => {
  for (const file of expectedFiles) {
    it(file, () => {
      const outcome = transformCaliper(loadEvent(file), fixtureContext('valid'));
      if (file.includes('anonymous')) {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, 'unknown_user');
        return;
      }
      const expected = expectedValidCaliper(loadExpected(file));
      if (expected.kind === 'skip') {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, expected.reason);
        return;
      }
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
      assert.equal(outcome.statements.length, 1);
      const event = outcome.statements[0] as CaliperEvent;
      assert.deepEqual(withoutId(event), withoutId(expected.event));
      assert.deepEqual(checkCaliperEvent(event), [], `structurally invalid: ${file}`);
    });
  }
});

describe('Caliper ids are deterministic and distinct', () => {
  it('the same event transformed twice, or in either mode, gets the same id', () => {
    for (const file of expectedFiles) {
      if (file.includes('anonymous') || file.startsWith('problem_check(browser).required')) continue;
      const first = transformOne(file, 'valid');
      const second = transformOne(file, 'valid');
      const erb = transformOne(file, 'erb');
      assert.equal(first.id, second.id, file);
      assert.equal(first.id, erb.id, file);
    }
  });

  it('the same event on another path (tracking-log shape, Z instead of +00:00) gets the same id', () => {
    const live = loadEvent('edx.ui.lms.sequence.next_selected.json');
    const { data, timestamp, ...rest } = live;
    const replayed = normalizeEvent({
      ...rest,
      event: JSON.stringify(data),
      time: String(timestamp).replace('+00:00', 'Z'),
    });
    assert.ok(replayed.ok);
    const a = transformCaliper(live, fixtureContext('valid'));
    const b = transformCaliper(replayed.event, fixtureContext('valid'));
    assert.ok(a.ok && b.ok);
    assert.equal(a.statements[0]?.id, b.statements[0]?.id);
  });

  it('an event keeps its id when only our output changes: a renamed course, another transformer version', () => {
    const renamed = fixtureContext('valid', {
      transformerVersion: 'edx-event-router@9.9.9',
      lookups: { ...FIXTURE_LOOKUPS, courseName: () => 'Renamed Course' },
    });
    let compared = 0;
    for (const file of expectedFiles) {
      if (file.includes('anonymous')) continue;
      const before = transformCaliper(loadEvent(file), fixtureContext('valid'));
      const after = transformCaliper(loadEvent(file), renamed);
      if (!before.ok || !after.ok) continue;
      assert.deepEqual(
        after.statements.map((e) => e.id),
        before.statements.map((e) => e.id),
        file,
      );
      compared += 1;
    }
    assert.ok(compared >= expectedFiles.length - 4, `compared ${compared}`);
  });

  it('different fixture events get different ids', () => {
    const seen = new Map<string, string>();
    for (const file of inputFiles) {
      for (const mode of ['valid', 'erb'] as const) {
        const outcome = transformCaliper(loadEvent(file), fixtureContext(mode));
        if (!outcome.ok) continue;
        for (const event of outcome.statements) {
          const owner = seen.get(event.id);
          assert.ok(owner === undefined || owner === file, `${file} and ${owner} share id ${event.id}`);
          seen.set(event.id, file);
        }
      }
    }
    assert.ok(seen.size >= expectedFiles.length - 2);
  });
});

describe('Caliper: every fixture input yields structurally valid events or a documented reason', () => {
  for (const file of inputFiles) {
    it(file, () => {
      const outcome = transformCaliper(loadEvent(file), fixtureContext('valid'));
      const documented = WITHOUT_EVENT[file];
      if (documented !== undefined) {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, documented);
        return;
      }
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
      for (const event of outcome.statements) assert.deepEqual(checkCaliperEvent(event), [], file);
    });
  }
});

/** Inputs that yield no Caliper event by default, and why. */
const WITHOUT_EVENT: Record<string, string> = Object.fromEntries([
  ['edx.ui.lms.link_clicked(anonymous_user).json', 'unknown_user'],
  ['problem_check(browser).required.only.data.json', 'missing_object_id'],
  ...inputFiles.filter((f) => /^edx\.(forum|special_exam|completion|grades\.(subsection|course))\./.test(f)).map((f) => [f, 'unsupported_event']),
  ['edx.course.enrollment.mode_changed.json', 'unsupported_event'],
  ['edx.course.grade.now_passed.json', 'unsupported_event'],
  ['edx.course.grade.now_failed.json', 'unsupported_event'],
]);
