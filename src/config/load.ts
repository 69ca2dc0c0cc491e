import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { coerceText } from './coerce.js';
import { formatPath, suggestName, type SettingSource, type SettingsIssue } from './issues.js';
import { retiredSettingWarning } from './retired-settings.js';
import { SETTING_NAMES, settingsFields, settingsSchema, type SettingName, type Settings } from './schema.js';
import { SETTING_META } from './setting-meta.js';

/**
 * The only module that reads `process.env`. Precedence, in one place (`mergeSources`):
 * CLI flags > environment > settings file > schema defaults.
 */

/** Names the settings file when `--config` is not given. Not a setting itself. */
export const CONFIG_FILE_ENV = 'EVENT_ROUTER_CONFIG';

export interface LoadOptions {
  /** `--config FILE`: a YAML or JSON mapping of setting names to values. */
  readonly configFile?: string | undefined;
  /** CLI flags by setting name; strings are read like environment values. */
  readonly flags?: Partial<Record<SettingName, unknown>>;
  /** Defaults to `process.env`; tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Check the file alone (`config check --ignore-env`). */
  readonly ignoreEnv?: boolean;
}

export type LoadOutcome =
  | {
      ok: true;
      settings: Settings;
      sources: Readonly<Record<SettingName, SettingSource>>;
      configFile: string | undefined;
      warnings: readonly string[];
    }
  | { ok: false; errors: readonly SettingsIssue[]; configFile: string | undefined };

/** How the warning about a missing LMS_ROOT_URL begins (only commands that transform events show it). */
export const LMS_ROOT_URL_WARNING = 'LMS_ROOT_URL is not set';

export function loadSettings(options: LoadOptions = {}): LoadOutcome {
  const env = options.ignoreEnv ? {} : (options.env ?? process.env);
  const configFile = options.configFile ?? nonEmpty(env[CONFIG_FILE_ENV]);
  const errors: SettingsIssue[] = [];
  const warnings: string[] = [];

  const fileValues = configFile === undefined ? {} : readSettingsFile(configFile, errors, warnings);
  const envValues = readEnv(env, errors, warnings);
  const flagValues = readFlags(options.flags ?? {}, errors);
  const { merged, sources } = mergeSources(fileValues, envValues, flagValues);

  // A setting whose env or flag text was unreadable is already reported; do not report the
  // lower-precedence value it was meant to override as well.
  const reported = new Set(errors.map((issue) => issue.path.split(/[.[]/)[0]));
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.filter((issue) => !reported.has(String(issue.path[0])));
    errors.push(...issues.map((issue) => toIssue(issue, sources, configFile)));
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors, configFile };

  const settings = {
    ...parsed.data,
    EVENT_ROUTER_DATA_DIR: resolve(parsed.data.EVENT_ROUTER_DATA_DIR),
    EVENT_ROUTER_LOOKUPS_FILE: parsed.data.EVENT_ROUTER_LOOKUPS_FILE === undefined ? undefined : resolve(parsed.data.EVENT_ROUTER_LOOKUPS_FILE),
  };
  if (settings.LMS_ROOT_URL === undefined) {
    warnings.push(`${LMS_ROOT_URL_WARNING}: it is required to transform events (IRIs, actor homePage, Caliper sensor)`);
  }
  if (
    sources.EVENT_ROUTER_IDENTITY_SOURCES !== 'default' &&
    settings.EVENT_ROUTER_IDENTITY_SOURCES.includes('lookups-file') &&
    settings.EVENT_ROUTER_LOOKUPS_FILE === undefined
  ) {
    warnings.push('EVENT_ROUTER_IDENTITY_SOURCES names lookups-file but EVENT_ROUTER_LOOKUPS_FILE is not set');
  }
  return { ok: true, settings: deepFreeze(settings), sources: Object.freeze(sources), configFile, warnings };
}

/** CLI flags > environment > file; absent keys fall through to the schema defaults. */
function mergeSources(
  file: Record<string, unknown>,
  env: Record<string, unknown>,
  flags: Record<string, unknown>,
): { merged: Record<string, unknown>; sources: Record<SettingName, SettingSource> } {
  const merged: Record<string, unknown> = {};
  const sources = {} as Record<SettingName, SettingSource>;
  for (const name of SETTING_NAMES) {
    const layers: Array<[SettingSource, Record<string, unknown>]> = [
      ['flag', flags],
      ['env', env],
      ['file', file],
    ];
    const hit = layers.find(([, values]) => values[name] !== undefined);
    sources[name] = hit?.[0] ?? 'default';
    if (hit) merged[name] = hit[1][name];
  }
  return { merged, sources };
}

function readSettingsFile(path: string, errors: SettingsIssue[], warnings: string[]): Record<string, unknown> {
  const issue = (message: string, at = ''): void => void errors.push({ path: at, message, source: 'file', file: path });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    issue(`cannot read the settings file: ${(error as Error).message}`);
    return {};
  }
  let value: unknown;
  if (extname(path).toLowerCase() === '.json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      issue(`not valid JSON: ${(error as Error).message}`);
      return {};
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) issue(`not valid YAML: ${error.message.replace(/\s+/g, ' ').trim()}`);
      return {};
    }
    value = doc.toJS();
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    issue('the settings file must be a mapping of setting names to values');
    return {};
  }
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const retired = retiredSettingWarning(key);
    if ((SETTING_NAMES as string[]).includes(key)) values[key] = entry;
    else if (retired !== undefined) warnings.push(`${path}: ${retired}`);
    else issue(`unknown setting${suggestName(key, SETTING_NAMES)}`, key);
  }
  return values;
}

function readEnv(env: Readonly<Record<string, string | undefined>>, errors: SettingsIssue[], warnings: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const text = nonEmpty(env[name]);
    if (text === undefined) continue;
    const coerced = coerceText(text, kindOf(name));
    if (coerced.ok) values[name] = coerced.value;
    else errors.push({ path: name, message: coerced.message, source: 'env' });
  }
  for (const key of Object.keys(env)) {
    if (key.startsWith('EVENT_ROUTER_') && key !== CONFIG_FILE_ENV && !(SETTING_NAMES as string[]).includes(key)) {
      warnings.push(retiredSettingWarning(key) ?? `environment variable ${key} is not a setting${suggestName(key, SETTING_NAMES)}`);
    }
  }
  return values;
}

function readFlags(flags: Partial<Record<SettingName, unknown>>, errors: SettingsIssue[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flags) as Array<[SettingName, unknown]>) {
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      values[name] = value;
      continue;
    }
    const coerced = coerceText(value, kindOf(name));
    if (coerced.ok) values[name] = coerced.value;
    else errors.push({ path: name, message: coerced.message, source: 'flag' });
  }
  return values;
}

function kindOf(name: SettingName) {
  return SETTING_META.get(settingsFields[name])?.kind ?? 'string';
}

/**
 * What `replay` takes from the environment besides the settings (which `--routers` loads with
 * `loadSettings`): DATABASE_URL for its checkpoints, and the AWS variables its S3 sources default
 * to (the SDK reads the credentials itself).
 */
export interface ReplayEnvironment {
  readonly databaseUrl?: string;
  /** AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL. */
  readonly s3Endpoint?: string;
  /** AWS_REGION, else AWS_DEFAULT_REGION. */
  readonly s3Region?: string;
}

export function loadReplayEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): ReplayEnvironment {
  const databaseUrl = nonEmpty(env['DATABASE_URL']);
  const s3Endpoint = nonEmpty(env['AWS_ENDPOINT_URL_S3']) ?? nonEmpty(env['AWS_ENDPOINT_URL']);
  const s3Region = nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  return {
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(s3Endpoint !== undefined ? { s3Endpoint } : {}),
    ...(s3Region !== undefined ? { s3Region } : {}),
  };
}

/** The AWS SDK warns on every run that its 2027 releases will need Node 22; the pinned one does not. */
export function silenceAwsSdkNodeWarning(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

function toIssue(issue: z.core.$ZodIssue, sources: Record<SettingName, SettingSource>, configFile: string | undefined): SettingsIssue {
  const head = issue.path[0];
  const source = typeof head === 'string' && head in sources ? sources[head as SettingName] : 'default';
  const base = { path: formatPath(issue.path), message: issue.message, source };
  return source === 'file' && configFile !== undefined ? { ...base, file: configFile } : base;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
