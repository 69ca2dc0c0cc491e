import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { supportedEventsMarkdown } from '../../src/transforms/supported-events.js';
import { repoRoot } from '../support/paths.js';

it("README's table of supported events matches the registries (regenerate: edx-event-router events --markdown)", () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const match = /<!-- event-table:start -->\n([\s\S]*?)\n<!-- event-table:end -->/.exec(readme);
  assert.ok(match, 'README has the event-table markers');
  assert.equal(match[1], supportedEventsMarkdown());
});
