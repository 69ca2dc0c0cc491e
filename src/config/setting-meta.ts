import * as z from 'zod';

/**
 * How a setting is written in an environment variable (always a string) or a CLI flag;
 * `load.ts` uses it to turn the text into the value the schema expects.
 */
export type SettingKind = 'boolean' | 'integer' | 'number' | 'string' | 'list' | 'json';

/** Documentation and handling of one setting; `docs/configuration.md` mirrors these. */
export interface SettingMeta {
  readonly kind: SettingKind;
  /** What the setting does, one or two sentences. */
  readonly description: string;
  /** The unit of a numeric setting, e.g. `seconds`. */
  readonly unit?: string;
  /** The default as shown to people (the schema holds the real one). */
  readonly defaultText: string;
  /** Where the name comes from: ERB (event-routing-backends) or this service. */
  readonly origin: 'erb' | 'ours';
  /** Redacted by `config show`, the admin API and the logs. */
  readonly secret?: boolean;
}

/** The registry of every setting's metadata; the schema registers each field here. */
export const SETTING_META = z.registry<SettingMeta>();

/** Attach metadata (and zod's own description) to a setting's schema. */
export function setting<T extends z.ZodType>(schema: T, meta: SettingMeta): T {
  const unit = meta.unit === undefined ? '' : ` Unit: ${meta.unit}.`;
  const described = schema.describe(`${meta.description}${unit} Default: ${meta.defaultText}.`);
  SETTING_META.add(described, meta);
  return described;
}
