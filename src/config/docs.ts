import { SETTING_NAMES, settingsFields } from './schema.js';
import { SETTING_META } from './setting-meta.js';

/**
 * The settings reference as a Markdown table, generated from the schema. `config docs` prints
 * it and docs/configuration.md embeds it between `<!-- settings:begin -->` and
 * `<!-- settings:end -->` (a test keeps the two equal).
 */
export function renderSettingsReference(): string {
  const lines = ['| Setting | Type | Default | Description |', '|---|---|---|---|'];
  for (const name of SETTING_NAMES) {
    const meta = SETTING_META.get(settingsFields[name]);
    if (meta === undefined) continue;
    const type = meta.unit === undefined ? meta.kind : `${meta.kind} (${meta.unit})`;
    const flags = [meta.origin === 'erb' ? 'ERB' : '', meta.secret ? '**secret**' : ''].filter(Boolean).join(', ');
    const description = `${flags === '' ? '' : `${flags}. `}${meta.description}`.replace(/\|/g, '\\|');
    lines.push(`| \`${name}\` | ${type} | ${meta.defaultText.replace(/\|/g, '\\|')} | ${description} |`);
  }
  return lines.join('\n');
}
