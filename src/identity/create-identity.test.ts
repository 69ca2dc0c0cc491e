import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIdentityFromSettings, IdentityConfigError } from './create-identity.js';
import { createMemoryIdentityStore } from './memory-identity-store.js';
import { DEFAULT_CACHE_OPTIONS, identityNeeds, type IdentitySettings } from './settings.js';

const settings = (overrides: Partial<IdentitySettings>): IdentitySettings => ({
  userSources: ['lookups-file', 'local-store'],
  courseSources: ['lookups-file'],
  missingIdPolicy: 'mint',
  kinds: ['xapi'],
  cache: DEFAULT_CACHE_OPTIONS,
  ...overrides,
});

describe('createIdentityFromSettings', () => {
  it('the embedded default (no file, local store, mint) works and mints', async () => {
    const resolver = createIdentityFromSettings(settings({}), { store: createMemoryIdentityStore() });
    const batch = await resolver.resolve([{ name: 'x', context: { user_id: 4 } }]);
    assert.ok(batch.lookups.anonymousId('4', 'xapi'));
  });

  it('names every missing setting at once', () => {
    assert.throws(
      () => createIdentityFromSettings(settings({ userSources: ['lms-database'], courseSources: ['lms-database', 'lms-api'], missingIdPolicy: 'mint' })),
      (error: unknown) =>
        error instanceof IdentityConfigError && /EVENT_ROUTER_LMS_DATABASE_URL.*EVENT_ROUTER_LMS_API_CLIENT_ID.*mint needs local-store/.test(error.message),
    );
  });

  it('derives kinds and emails from the backends', () => {
    assert.deepEqual(identityNeeds({ xapiEnabled: true, caliperEnabled: true, ifiType: 'external_id' }), {
      kinds: ['xapi', 'caliper'],
      needEmail: false,
    });
    assert.deepEqual(identityNeeds({ xapiEnabled: true, caliperEnabled: false, ifiType: 'mbox' }), { kinds: [], needEmail: true });
  });
});
