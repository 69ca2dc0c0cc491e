import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackendFilter, type BackendProcessor } from './backend-filter.js';

describe('createBackendFilter (event-tracking processors)', () => {
  const cases: Array<[string, BackendProcessor[], string, boolean]> = [
    ['no processors: every event', [], 'anything.at.all', true],
    ['whitelist: listed', [{ engine: 'NameWhitelistProcessor', whitelist: ['problem_check'] }], 'problem_check', true],
    ['whitelist: unlisted', [{ engine: 'NameWhitelistProcessor', whitelist: ['problem_check'] }], 'showanswer', false],
    ['whitelist: empty list refuses all', [{ engine: 'NameWhitelistProcessor', whitelist: [] }], 'problem_check', false],
    ['allowlist: re.match anchors at the start', [{ engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['video'] }], 'stop_video', false],
    ['allowlist: prefix match', [{ engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['edx\\.video\\.'] }], 'edx.video.played', true],
    [
      'blocklist: matching name refused',
      [{ engine: 'RegexFilter', filterType: 'blocklist', regularExpressions: ['^edx\\.forum\\.', 'edx\\.ui'] }],
      'edx.ui.lms.link_clicked',
      false,
    ],
    ['blocklist: other names pass', [{ engine: 'RegexFilter', filterType: 'blocklist', regularExpressions: ['^edx\\.forum\\.'] }], 'problem_check', true],
    [
      'chain: every processor must pass',
      [
        { engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['edx\\.'] },
        { engine: 'NameWhitelistProcessor', whitelist: ['problem_check'] },
      ],
      'edx.video.played',
      false,
    ],
  ];
  for (const [title, processors, name, expected] of cases) {
    it(title, () => {
      const decision = createBackendFilter(processors)(name);
      assert.equal(decision.pass, expected);
      if (!decision.pass) assert.equal(decision.reason, 'filtered');
    });
  }

  it('throws on an invalid pattern (settings validation happens first)', () => {
    assert.throws(
      () => createBackendFilter([{ engine: 'RegexFilter', filterType: 'allowlist', regularExpressions: ['('] }]),
      /invalid regular expression "\("/,
    );
  });
});
