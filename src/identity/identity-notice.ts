import type { IdentitySettings } from './settings.js';

/** What the service tells at start about where its learner ids come from. */
export interface IdentityNotice {
  /** One line: the user and course-name sources and what happens to a learner without an id. */
  readonly summary: string;
  /** Set when the anonymous ids sent will not (all) be the LMS's: Aspects cannot join those learners. */
  readonly warning?: string;
}

const POLICY_TEXT = {
  drop: 'events of a learner without one are dropped',
  mint: 'a learner without one gets an id minted and kept here',
  wait: 'events of a learner without one wait until an id appears',
} as const;

/**
 * The start-up notice. Aspects joins learners' personal data through the LMS table
 * `external_user_ids_externalid` (actor.account.name = external_user_id): an id that is not in
 * that table never joins, so the service says plainly when it will send such ids.
 */
export function identityNotice(settings: IdentitySettings): IdentityNotice {
  const users = settings.userSources;
  const lmsAt = users.indexOf('lms-database');
  const creates = lmsAt >= 0 && settings.lmsDatabase?.createIds === true;
  const missing = creates ? 'a learner without one gets it created in the LMS' : POLICY_TEXT[settings.missingIdPolicy];
  const courses = settings.courseSources.length > 0 ? settings.courseSources.join(', ') : 'none (course ids stand in)';
  const summary =
    settings.kinds.length === 0
      ? `identity: no anonymous ids needed (xAPI actors by email, Caliper off); users from ${users.join(', ')}; course names from ${courses}`
      : `identity: ${settings.kinds.join(' and ')} ids from ${users.join(', ')} (first answer wins; ${missing}); course names from ${courses}`;
  if (settings.kinds.length === 0) return { summary };

  const problems: string[] = [];
  if (lmsAt < 0) {
    problems.push(`they are not read from the LMS (EVENT_ROUTER_IDENTITY_SOURCES is ${users.join(', ')})`);
  } else {
    const before = users.slice(0, lmsAt).filter((source) => source !== 'lookups-file' || settings.lookupsFile !== undefined);
    if (before.length > 0) problems.push(`ids from ${before.join(' and ')} take precedence over the LMS's`);
    if (!creates && settings.missingIdPolicy === 'mint') {
      problems.push('a learner the LMS has no id for gets one minted here, which the LMS does not know');
    }
  }
  if (problems.length === 0) return { summary };
  const fix = creates
    ? ''
    : "; to send the LMS's ids, use EVENT_ROUTER_IDENTITY_SOURCES=lms-database with EVENT_ROUTER_IDENTITY_LMS_WRITE=true (docs/identity.md)";
  return {
    summary,
    warning:
      `the anonymous ids sent will not all be the LMS's: ${problems.join('; ')}. ` +
      `Aspects joins learners through the LMS table external_user_ids_externalid, so these learners will not join${fix}.`,
  };
}
