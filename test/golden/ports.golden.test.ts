import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { normalizeEvent, type OpenEdxEvent } from '../../src/core/event.js';
import { loadTransformerRegistry, type TransformerRegistry } from '../../src/transforms/plugins/index.js';
import type { CompatMode } from '../../src/transforms/shared/transform-settings.js';
import { createXapiValidator } from '../../src/transforms/xapi/schema-validator.js';
import { transformXapi } from '../../src/transforms/xapi/transform.js';
import { fixtureContext } from '../support/fixture-context.js';
import { repoRoot } from '../support/paths.js';

/**
 * The bundled ports reproduce the expected statements of each package's own tests whole, ids
 * included (test/golden/ports/README.md says where each file comes from), in both modes.
 */
const root = join(repoRoot(), 'test', 'golden', 'ports');
const validator = createXapiValidator();
let registry: TransformerRegistry;
const failures: string[] = [];

before(async () => {
  registry = await loadTransformerRegistry([], (plugin, event, message) => failures.push(`${plugin} ${event}: ${message}`));
});

function read(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function loadEvent(path: string): OpenEdxEvent {
  const normalized = normalizeEvent(read(path));
  assert.ok(normalized.ok, `${path} did not normalise`);
  return normalized.event;
}

for (const port of readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)) {
  describe(`port of ${port}: the package's goldens, whole`, () => {
    const files = readdirSync(join(root, port, 'xapi'))
      .filter((file) => file.endsWith('.json'))
      .sort();
    it('has goldens', () => assert.ok(files.length > 0));
    for (const file of files) {
      for (const compat of ['erb', 'valid'] as CompatMode[]) {
        it(`${file} (${compat})`, () => {
          const outcome = transformXapi(loadEvent(join(root, port, 'events', file)), fixtureContext(compat, { registry }));
          assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
          const expected = read(join(root, port, 'xapi', file));
          assert.deepEqual(JSON.parse(JSON.stringify(outcome.statements)), Array.isArray(expected) ? expected : [expected]);
          if (compat === 'valid') for (const statement of outcome.statements) assert.deepEqual(validator.check(statement), []);
          assert.deepEqual(failures, []);
        });
      }
    }
  });
}

describe('ports: every registered name has a golden', () => {
  it('each bundled port name has an input and an expected file', () => {
    const covered = new Set(
      readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) =>
          readdirSync(join(root, entry.name, 'events')).map((file) => (read(join(root, entry.name, 'events', file)) as { name: string }).name),
        ),
    );
    const ported = [...registry.xapi.keys()].filter((name) => registry.origin('xapi', name) !== 'built-in');
    assert.ok(ported.length >= 7);
    assert.deepEqual(
      ported.filter((name) => !covered.has(name)),
      [],
    );
  });
});
