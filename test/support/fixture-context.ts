import type { Lookups } from '../../src/transforms/shared/lookups.js';
import type { CompatMode, TransformContext } from '../../src/transforms/shared/transform-settings.js';
import { TransformCaches } from '../../src/transforms/transform-caches.js';

/** The settings ERB's fixtures were produced with. */
export const FIXTURE_LMS_URL = 'http://localhost:18000';
export const FIXTURE_TRANSFORMER_VERSION = 'event-routing-backends@1.1.1';
export const FIXTURE_ANONYMOUS_ID = '32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb';
export const FIXTURE_COURSE_NAME = 'Demonstration Course';

/** ERB's test mocks: every known user has the fixture id, every course the fixture name. */
export const FIXTURE_LOOKUPS: Lookups = {
  anonymousId: () => FIXTURE_ANONYMOUS_ID,
  email: (user) => `${user}@example.com`,
  courseName: () => FIXTURE_COURSE_NAME,
};

/** ERB's fixture settings with new caches, unless `overrides` brings caches to share. */
export function fixtureContext(compat: CompatMode, overrides: Partial<TransformContext> = {}): TransformContext {
  const { caches = new TransformCaches(), ...settings } = overrides;
  return {
    lmsUrl: FIXTURE_LMS_URL,
    transformerVersion: FIXTURE_TRANSFORMER_VERSION,
    ifiType: 'external_id',
    compat,
    lookups: FIXTURE_LOOKUPS,
    ...settings,
    caches,
  };
}
