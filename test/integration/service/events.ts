import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeEvent } from '../../../src/core/event.js';
import { createStaticLookups, parseStaticLookups } from '../../../src/transforms/shared/static-lookups.js';
import { createTransformContext, type TransformContext } from '../../../src/transforms/shared/transform-settings.js';
import { transformEvent, type OutputFormat } from '../../../src/transforms/transform-event.js';
import { repoRoot } from '../../support/paths.js';

/** The two router configurations of the issue, as ERB's docs write them (top-level keys). */
export const CALIPER_SAMPLE = {
  override_args: { sensor_id: 'sensor@example.com' },
  headers: { test: 'header' },
  match_params: { course_id: '^.*course-v.:edX\\+.*\\+2021.*$', name: ['^problem.*', 'video'] },
};
export const XAPI_SAMPLE = {
  match_params: {
    enterprise_uuid: 'org_XYZ',
    name: ['edx.course.grade.passed.first_time', 'edx.course.enrollment.activated'],
  },
};

function samples(): Record<string, unknown>[] {
  return readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * `count` distinct events cycling through the bundled samples: every one gets its own timestamp
 * fraction (so its own statement ids), and top-level `course_id` / `enterprise_uuid` in four
 * combinations, so that ERB's documented match_params (top-level keys) match some and not others.
 */
export function buildEvents(count: number, offset = 0): Record<string, unknown>[] {
  const base = samples();
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + offset;
    const event: Record<string, unknown> = structuredClone(base[n % base.length] as Record<string, unknown>);
    const micro = String(n % 1_000_000).padStart(6, '0');
    for (const key of ['timestamp', 'time']) {
      const value = event[key];
      if (typeof value === 'string') event[key] = value.replace(/(T\d\d:\d\d:\d\d)(\.\d+)?/, `$1.${micro}`);
    }
    // Distinct years per cycle too: more than a million events would repeat the fraction.
    const variant = Math.floor(n / base.length) % 4;
    if (variant === 0 || variant === 2) event['course_id'] = 'course-v1:edX+DemoX+2021_T1';
    if (variant === 1) event['course_id'] = 'course-v1:edX+DemoX+2020_T1';
    if (variant === 0 || variant === 3) event['enterprise_uuid'] = 'org_XYZ';
    if (variant === 1) event['enterprise_uuid'] = 'org_ABC';
    events.push(event);
  }
  return events;
}

/** The transform context the service uses with baseSettings() (support.ts). */
export function serviceContext(): TransformContext {
  const lookups = JSON.parse(readFileSync(join(repoRoot(), 'samples', 'lookups.json'), 'utf8')) as unknown;
  return createTransformContext({
    lmsUrl: 'http://lms.example.com',
    transformerVersion: `edx-event-router@${packageVersion()}`,
    ifiType: 'external_id',
    compat: 'valid',
    lookups: createStaticLookups(parseStaticLookups(lookups)),
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** What `transformEvent` produces for the event, JSON round-tripped (as it travels), or []. */
export function transformed(format: OutputFormat, raw: Record<string, unknown>, ctx: TransformContext): Record<string, unknown>[] {
  const normalized = normalizeEvent(raw);
  if (!normalized.ok) return [];
  const outcome = transformEvent(format, normalized.event, ctx);
  if (!outcome.ok) return [];
  return JSON.parse(JSON.stringify(outcome.statements)) as Record<string, unknown>[];
}

/** ERB's match_params semantics for the two samples, written out by hand (regexes on top-level keys). */
export function matchesCaliperSample(event: Record<string, unknown>): boolean {
  const course = event['course_id'];
  const name = String(event['name']);
  return typeof course === 'string' && /^.*course-v.:edX\+.*\+2021.*$/.test(course) && (/^problem.*/.test(name) || /video/.test(name));
}

export function matchesXapiSample(event: Record<string, unknown>): boolean {
  const name = String(event['name']);
  return (
    typeof event['enterprise_uuid'] === 'string' &&
    /org_XYZ/.test(event['enterprise_uuid']) &&
    (/edx\.course\.grade\.passed\.first_time/.test(name) || /edx\.course\.enrollment\.activated/.test(name))
  );
}
