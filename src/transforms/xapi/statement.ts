import type { JsonValue } from '../../core/event.js';

/**
 * xAPI 1.0.3 statement shapes. Builders below create objects with keys in the order ERB's xAPI
 * library (tincan) writes them, so `--compat erb` output reads the same as ERB's logs.
 */
export type LanguageMap = Record<string, string>;
export type Extensions = Record<string, JsonValue>;

export interface Verb {
  id: string;
  display: LanguageMap;
}

export interface Agent {
  objectType: 'Agent';
  mbox?: string;
  mbox_sha1sum?: string;
  account?: { name: string; homePage: string };
}

export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  type?: string;
  moreInfo?: string;
  interactionType?: string;
  extensions?: Extensions;
}

export interface Activity {
  id: string;
  /** `GroupActivity` appears only in `--compat erb` output (ERB's invalid form). */
  objectType: 'Activity' | 'GroupActivity';
  definition?: ActivityDefinition;
}

export interface Score {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  duration?: string;
  response?: string;
  extensions?: Extensions;
}

export interface ContextActivities {
  category?: Activity[];
  parent?: Activity[];
  grouping?: Activity[];
  other?: Activity[];
}

export interface StatementRef {
  objectType: 'StatementRef';
  id: string;
}

export interface Context {
  contextActivities?: ContextActivities;
  statement?: StatementRef;
  extensions?: Extensions;
}

export interface Statement {
  id: string;
  result?: Result;
  version: string;
  actor: Agent;
  verb: Verb;
  object: Activity;
  timestamp: string;
  context?: Context;
  [key: string]: unknown;
}

/** Drops undefined/null/empty-string values from an extensions map; the map itself is kept. */
export function extensions(entries: Record<string, JsonValue | undefined>): Extensions {
  const out: Extensions = {};
  for (const key of Object.keys(entries)) putExtension(out, key, entries[key]);
  return out;
}

/**
 * One member of an extensions map, left out when empty (see `extensions`) or a non-finite number
 * (Python's NaN and Infinity in the event, which JSON cannot carry).
 */
export function putExtension(out: Extensions, key: string, value: JsonValue | undefined): void {
  if (value === undefined || value === null || value === '') return;
  if (typeof value === 'number' && !Number.isFinite(value)) return;
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A language map with one entry, or undefined when there is no text (ERB omits it). */
export function languageMap(lang: string, text: string | undefined): LanguageMap | undefined {
  return text === undefined || text === '' ? undefined : { [lang]: text };
}

/** An activity definition with keys in tincan order and absent parts left out. */
export function definition(parts: ActivityDefinition): ActivityDefinition {
  const out: ActivityDefinition = {};
  if (parts.name !== undefined) out.name = parts.name;
  if (parts.description !== undefined) out.description = parts.description;
  if (parts.type !== undefined) out.type = parts.type;
  if (parts.moreInfo !== undefined) out.moreInfo = parts.moreInfo;
  if (parts.interactionType !== undefined) out.interactionType = parts.interactionType;
  if (parts.extensions !== undefined) out.extensions = parts.extensions;
  return out;
}

/** An Activity; the id may be missing, in which case the statement is dropped later. */
export function activity(id: string | undefined, def?: ActivityDefinition): Activity {
  const out = { id: id as string, objectType: 'Activity' } as Activity;
  if (def !== undefined) out.definition = definition(def);
  return out;
}

/** A result with keys in tincan order. */
export function result(parts: Result): Result {
  const out: Result = {};
  if (parts.score !== undefined) out.score = score(parts.score);
  if (parts.success !== undefined) out.success = parts.success;
  if (parts.completion !== undefined) out.completion = parts.completion;
  if (parts.duration !== undefined) out.duration = parts.duration;
  if (parts.response !== undefined) out.response = parts.response;
  if (parts.extensions !== undefined) out.extensions = parts.extensions;
  return out;
}

function score(parts: Score): Score {
  const out: Score = {};
  if (parts.scaled !== undefined) out.scaled = parts.scaled;
  if (parts.raw !== undefined) out.raw = parts.raw;
  if (parts.min !== undefined) out.min = parts.min;
  if (parts.max !== undefined) out.max = parts.max;
  return out;
}
