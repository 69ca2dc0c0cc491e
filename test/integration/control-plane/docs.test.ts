import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
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

describe('commands in the README and docs', () => {
  // `npm install` puts no `edx-event-router` on the PATH: a line typed from a clone must say npx.
  it('are typed as `npx edx-event-router …`, which works right after `npm install`', () => {
    const files = [
      'README.md',
      ...readdirSync(join(repoRoot(), 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f)),
    ];
    const bare: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(repoRoot(), file), 'utf8').split('\n');
      let inCode = false;
      lines.forEach((line, i) => {
        if (line.startsWith('```')) inCode = !inCode;
        else if (inCode && /^\s*(\$ )?edx-event-router [a-z]/.test(line)) bare.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bare, []);
  });
});
