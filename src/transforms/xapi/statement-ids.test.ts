import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps } from '../shared/python-json.js';
import { NAMESPACE_DNS, uuid5 } from '../shared/uuid5.js';
import type { Agent, Verb } from './statement.js';
import { StatementIds } from './statement-ids.js';

// What each cache of StatementIds assumes about its key, checked against ERB's recipe written out
// without any cache: uuid5(uuid5(DNS, verb JSON[-child id]), `<actor JSON>-<timestamp>`).
function erbId(actor: Agent, verb: Verb, timestamp: string, childId?: string): string {
  const verbJson = pythonJsonDumps(verb);
  const namespace = uuid5(NAMESPACE_DNS, childId === undefined ? verbJson : `${verbJson}-${childId}`);
  return uuid5(namespace, `${pythonJsonDumps(actor)}-${timestamp}`);
}

const TIMESTAMP = '2020-07-15T06:36:01.917775+00:00';
const VIEWED: Verb = { id: 'http://id.tincanapi.com/verb/viewed', display: { en: 'viewed' } };
const LEARNER: Agent = { objectType: 'Agent', account: { name: 'anon-1', homePage: 'http://lms.one' } };

function idOf(ids: StatementIds, actor: Agent, verb: Verb, childId?: string): string {
  return ids.id(ids.actorBytes(actor), verb, TIMESTAMP, childId);
}

/**
 * For every member an Agent may have, an actor that differs from LEARNER in that member only (or
 * in the IFI it carries). Typed by Agent's keys: a member added to Agent does not compile here
 * until it has a variant, which the actor cache must then tell apart.
 */
const AGENT_VARIANTS: Record<keyof Agent, readonly Agent[]> = {
  objectType: [{ objectType: 'Agent', account: { name: 'anon-1', homePage: 'http://lms.one' } }],
  account: [
    { objectType: 'Agent', account: { name: 'anon-1', homePage: 'http://lms.two' } },
    { objectType: 'Agent', account: { name: 'anon-2', homePage: 'http://lms.one' } },
  ],
  // The IFI value itself repeated under another IFI: the map key alone cannot tell these apart.
  mbox: [{ objectType: 'Agent', mbox: 'anon-1' }],
  mbox_sha1sum: [{ objectType: 'Agent', mbox_sha1sum: 'anon-1' }],
};

describe('StatementIds', () => {
  it('gives ERB\u2019s id for every actor, whatever actor was remembered before it', () => {
    const ids = new StatementIds();
    assert.equal(idOf(ids, LEARNER, VIEWED), erbId(LEARNER, VIEWED, TIMESTAMP));
    for (const [member, variants] of Object.entries(AGENT_VARIANTS)) {
      for (const variant of variants) {
        assert.equal(idOf(ids, variant, VIEWED), erbId(variant, VIEWED, TIMESTAMP), `${member}: ${JSON.stringify(variant)}`);
        // And back: the variant did not replace what the first actor gets.
        assert.equal(idOf(ids, LEARNER, VIEWED), erbId(LEARNER, VIEWED, TIMESTAMP), `after ${member}`);
      }
    }
  });

  it('one cache used with two LMS URLs and IFI types gives each what a new cache gives', () => {
    // Contexts are copied with `{ ...ctx, lookups }` per batch; a copy with other settings that
    // kept the caches must still get its own actors.
    const shared = new StatementIds();
    const actors: Agent[] = [
      { objectType: 'Agent', account: { name: 'anon-1', homePage: 'http://lms.one' } },
      { objectType: 'Agent', account: { name: 'anon-1', homePage: 'https://lms.other/' } },
      { objectType: 'Agent', mbox: 'mailto:anon-1@example.com' },
      { objectType: 'Agent', mbox_sha1sum: 'a5b5a7a1bfb84e2e8d7d3d2fd0d52d5b9a4c11a5' },
    ];
    for (const round of [1, 2]) {
      for (const actor of actors) {
        assert.equal(idOf(shared, actor, VIEWED), idOf(new StatementIds(), actor, VIEWED), `round ${round}: ${JSON.stringify(actor)}`);
      }
    }
  });

  it('keys verbs by id only when their JSON depends on nothing else', () => {
    const ids = new StatementIds();
    const sameId: Verb[] = [
      VIEWED,
      { id: VIEWED.id, display: { en: 'looked at' } },
      { id: VIEWED.id, display: { en: 'viewed', fr: 'vu' } },
      { id: VIEWED.id, display: { 'en-US': 'viewed' } },
      // Members in the other order: Python JSON keeps insertion order, so the JSON differs.
      { display: { en: 'viewed' }, id: VIEWED.id },
      { id: VIEWED.id, display: {} },
    ];
    for (const round of [1, 2]) {
      for (const verb of sameId) {
        assert.equal(idOf(ids, LEARNER, verb), erbId(LEARNER, verb, TIMESTAMP), `round ${round}: ${JSON.stringify(verb)}`);
      }
    }
    assert.equal(new Set(sameId.map((verb) => idOf(ids, LEARNER, verb))).size, sameId.length);
  });

  it('gives child statements the id of their verb and child id, remembered or not', () => {
    const ids = new StatementIds();
    const answered: Verb = { id: 'http://adlnet.gov/expapi/verbs/answered', display: { en: 'answered' } };
    const children = ['2_1', '2_2', '2_1', 'é_3'];
    for (const round of [1, 2]) {
      for (const verb of [answered, VIEWED]) {
        for (const child of children) {
          assert.equal(idOf(ids, LEARNER, verb, child), erbId(LEARNER, verb, TIMESTAMP, child), `round ${round}: ${verb.id} ${child}`);
        }
      }
    }
  });
});
