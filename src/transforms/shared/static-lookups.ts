import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonObject } from '../../core/event.js';
import type { IdentityKind, Lookups } from './lookups.js';

/**
 * The static lookups file given by `--lookups FILE`:
 * `{"users": {"<username or numeric id>": {"anonymousId": "<uuid>" | {"xapi": "…", "caliper": "…"},
 *   "email": "…"}}, "courses": {"<course id>": {"displayName": "…"}}}`.
 */
export interface StaticLookupsData {
  users?: Record<string, { anonymousId?: string | { xapi?: string; caliper?: string }; email?: string }>;
  courses?: Record<string, { displayName?: string }>;
}

export class LookupsFileError extends Error {}

export function parseStaticLookups(value: unknown, source = 'lookups'): StaticLookupsData {
  const errors: string[] = [];
  if (!isJsonObject(value)) throw new LookupsFileError(`${source}: must be a JSON object`);
  const users = value['users'];
  if (users !== undefined && !isJsonObject(users)) errors.push(`${source}: "users" must be an object`);
  if (isJsonObject(users)) {
    for (const [key, entry] of Object.entries(users)) {
      if (!isJsonObject(entry)) {
        errors.push(`${source}: users.${key} must be an object`);
        continue;
      }
      const anon = entry['anonymousId'];
      if (anon !== undefined && typeof anon !== 'string' && !isAnonMap(anon)) {
        errors.push(`${source}: users.${key}.anonymousId must be a string or {"xapi", "caliper"}`);
      }
      if (entry['email'] !== undefined && typeof entry['email'] !== 'string') {
        errors.push(`${source}: users.${key}.email must be a string`);
      }
    }
  }
  const courses = value['courses'];
  if (courses !== undefined && !isJsonObject(courses)) errors.push(`${source}: "courses" must be an object`);
  if (isJsonObject(courses)) {
    for (const [key, entry] of Object.entries(courses)) {
      if (!isJsonObject(entry) || (entry['displayName'] !== undefined && typeof entry['displayName'] !== 'string')) {
        errors.push(`${source}: courses.${key}.displayName must be a string`);
      }
    }
  }
  if (errors.length > 0) throw new LookupsFileError(errors.join('\n'));
  return value;
}

function isAnonMap(value: unknown): value is JsonObject {
  return isJsonObject(value) && Object.entries(value).every(([k, v]) => (k === 'xapi' || k === 'caliper') && typeof v === 'string');
}

export function createStaticLookups(data: StaticLookupsData): Lookups {
  const users = data.users ?? {};
  const courses = data.courses ?? {};
  return {
    anonymousId(user: string, kind: IdentityKind): string | undefined {
      const anon = users[user]?.anonymousId;
      if (anon === undefined) return undefined;
      return typeof anon === 'string' ? anon : anon[kind];
    },
    email: (user) => users[user]?.email,
    courseName: (courseId) => courses[courseId]?.displayName,
  };
}

export function loadStaticLookups(path: string): Lookups {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LookupsFileError(`cannot read lookups file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LookupsFileError(`lookups file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return createStaticLookups(parseStaticLookups(parsed, path));
}
