import { settingsFields, SETTING_NAMES, type SettingName, type Settings } from './schema.js';
import { SETTING_META } from './setting-meta.js';

export const REDACTED = '[redacted]';

/** Names of the settings marked secret in the schema. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTING_NAMES.filter((name) => SETTING_META.get(settingsFields[name])?.secret === true);

/** A copy safe to print, log or return: every secret that is set becomes `[redacted]`. */
export function redactSettings(settings: Settings): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...settings };
  for (const name of SECRET_SETTINGS) {
    if (copy[name] !== undefined) copy[name] = REDACTED;
  }
  return copy;
}
