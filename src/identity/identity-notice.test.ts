import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityNotice } from './identity-notice.js';
import { DEFAULT_CACHE_OPTIONS, type IdentitySettings } from './settings.js';

const base: IdentitySettings = {
  userSources: ['lookups-file', 'local-store'],
  courseSources: ['lookups-file'],
  missingIdPolicy: 'mint',
  kinds: ['xapi', 'caliper'],
  cache: DEFAULT_CACHE_OPTIONS,
};
const lms = { url: 'mysql://router@lms/edxapp' };

describe('identityNotice', () => {
  it('the default (lookups file, local store, mint) warns that the ids are not the LMS', () => {
    const notice = identityNotice(base);
    assert.match(notice.summary, /xapi and caliper ids from lookups-file, local-store .*minted/);
    assert.match(notice.warning ?? '', /will not all be the LMS's: they are not read from the LMS/);
    assert.match(notice.warning ?? '', /EVENT_ROUTER_IDENTITY_LMS_WRITE=true/);
  });

  it('the LMS database with the write on: no warning', () => {
    const notice = identityNotice({ ...base, userSources: ['lms-database'], missingIdPolicy: 'drop', lmsDatabase: { ...lms, createIds: true } });
    assert.match(notice.summary, /created in the LMS/);
    assert.equal(notice.warning, undefined);
  });

  it('the LMS database with minting here: warns about the minted ids', () => {
    const notice = identityNotice({ ...base, userSources: ['lms-database', 'local-store'], lmsDatabase: lms });
    assert.match(notice.warning ?? '', /minted here, which the LMS does not know/);
  });

  it('the LMS database dropping learners without an id: no warning (every id sent is the LMS)', () => {
    const notice = identityNotice({ ...base, userSources: ['lms-database'], missingIdPolicy: 'drop', lmsDatabase: lms });
    assert.match(notice.summary, /dropped/);
    assert.equal(notice.warning, undefined);
  });

  it('a lookups file before the LMS database takes precedence (when there is a file)', () => {
    const settings: IdentitySettings = {
      ...base,
      userSources: ['lookups-file', 'lms-database'],
      missingIdPolicy: 'drop',
      lmsDatabase: { ...lms, createIds: true },
    };
    assert.equal(identityNotice(settings).warning, undefined, 'no file: nothing comes before the LMS');
    assert.match(identityNotice({ ...settings, lookupsFile: 'lookups.json' }).warning ?? '', /ids from lookups-file take precedence/);
  });

  it('no anonymous id needed (mbox actors, Caliper off): nothing to warn about', () => {
    const notice = identityNotice({ ...base, kinds: [] });
    assert.match(notice.summary, /no anonymous ids needed/);
    assert.equal(notice.warning, undefined);
  });
});
