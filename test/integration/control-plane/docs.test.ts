import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderSettingsReference } from '../../../src/config/docs.js';
import { SETTING_NAMES } from '../../../src/config/schema.js';
import { repoRoot } from '../../support/paths.js';

describe('docs/configuration.md', () => {
  const text = readFileSync(join(repoRoot(), 'docs', 'configuration.md'), 'utf8');

  it('embeds the settings reference generated from the schema (run `edx-event-router config docs`)', () => {
    const embedded = /<!-- settings:begin -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(text)?.[1];
    assert.equal(embedded, renderSettingsReference());
  });

  it('documents every setting', () => {
    for (const name of SETTING_NAMES) assert.ok(text.includes(`\`${name}\``), name);
  });
});
