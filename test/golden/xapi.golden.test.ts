import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeEvent, type OpenEdxEvent } from '../../src/core/event.js';
import { createXapiValidator } from '../../src/transforms/xapi/schema-validator.js';
import { transformXapi } from '../../src/transforms/xapi/transform.js';
import { fixtureContext } from '../support/fixture-context.js';
import { learningLockerProblems } from '../support/learning-locker-validator.js';
import { erbFixturesDir } from '../support/paths.js';
import { expectedValidForm } from './xapi-differences.js';

const dir = erbFixturesDir();
const validator = createXapiValidator();
const expectedFiles = readdirSync(join(dir, 'xapi'))
  .filter((f) => f.endsWith('.json'))
  .sort();

function loadEvent(file: string): OpenEdxEvent {
  const normalized = normalizeEvent(JSON.parse(readFileSync(join(dir, 'events', file), 'utf8')));
  assert.ok(normalized.ok, `fixture ${file} did not normalise`);
  return normalized.event;
}

function loadExpected(file: string): unknown[] {
  const expected = JSON.parse(readFileSync(join(dir, 'xapi', file), 'utf8')) as unknown;
  return Array.isArray(expected) ? expected : [expected];
}

/** ERB's processor drops an event whose statement has no object id; its transformer goldens keep it. */
function hasIdlessObject(statements: unknown[]): boolean {
  return statements.some((s) => typeof (s as { object?: { id?: unknown } }).object?.id !== 'string');
}

describe('xAPI goldens, --compat erb: equal to ERB whole, ids included', () => {
  for (const file of expectedFiles) {
    it(file, () => {
      const outcome = transformXapi(loadEvent(file), fixtureContext('erb'));
      if (file.includes('anonymous')) {
        assert.deepEqual(outcome.ok ? 'produced' : outcome.reason, 'unknown_user');
        return;
      }
      if (hasIdlessObject(loadExpected(file))) {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, 'missing_object_id');
        return;
      }
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
      assert.deepEqual(JSON.parse(JSON.stringify(outcome.statements)), loadExpected(file));
    });
  }
});

describe('xAPI goldens, default mode: ERB with only the documented differences, valid by the schema and Learning Locker', () => {
  for (const file of expectedFiles) {
    it(file, () => {
      const outcome = transformXapi(loadEvent(file), fixtureContext('valid'));
      const expected = expectedValidForm(file, loadExpected(file));
      if (file.includes('anonymous')) {
        assert.deepEqual(outcome.ok ? 'produced' : outcome.reason, 'unknown_user');
        return;
      }
      if (expected.kind === 'skip') {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, expected.reason);
        return;
      }
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
      assert.deepEqual(JSON.parse(JSON.stringify(outcome.statements)), expected.statements);
      for (const statement of outcome.statements) {
        assert.deepEqual(validator.check(statement), [], `invalid statement ${statement.id}`);
        assert.deepEqual(learningLockerProblems(statement), [], `Learning Locker refuses ${statement.id}`);
      }
    });
  }
});

describe('xAPI: fixture inputs that have no xAPI golden', () => {
  const inputs = readdirSync(join(dir, 'events')).filter((f) => f.endsWith('.json') && !expectedFiles.includes(f));
  for (const file of inputs) {
    it(`${file} yields valid statements or a documented reason`, () => {
      const outcome = transformXapi(loadEvent(file), fixtureContext('valid'));
      const documented = NO_GOLDEN[file];
      assert.ok(documented !== undefined, `${file}: add it to NO_GOLDEN with what it should yield`);
      if (documented === 'statements') {
        assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
        assert.ok(outcome.statements.length > 0);
        for (const statement of outcome.statements) {
          assert.deepEqual(validator.check(statement), []);
          assert.deepEqual(learningLockerProblems(statement), []);
        }
      } else {
        assert.equal(outcome.ok ? 'produced' : outcome.reason, documented);
      }
    });
  }
});

/** Inputs without an ERB xAPI golden, and what they yield here. */
const NO_GOLDEN: Record<string, string> = {
  // ERB has no expected file for these; they are ordinary events of supported names.
  'edx.grades.problem.submitted.weighted_possible_null.json': 'statements',
  'edx.video.closed_captions.hidden.null.duration.json': 'statements',
  'play_video.required.only.data.json': 'statements',
  // A Caliper-only fixture of the new-name seek event.
  'postion_changed_video.json': 'statements',
};
