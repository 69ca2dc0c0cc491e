import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminTokenLines } from './serve.js';

describe('adminTokenLines', () => {
  const generated = { token: 'generated-admin-token-value-0001', source: 'file', created: true, path: '/srv/data/admin-token' } as const;

  it('shows a token generated now on a terminal', () => {
    const text = adminTokenLines(generated, true).join('\n');
    assert.match(text, /generated-admin-token-value-0001/);
    assert.match(text, /\/srv\/data\/admin-token, mode 0600/);
  });

  it('never prints it when the output is not a terminal (logs would keep it), but says where to read it', () => {
    const text = adminTokenLines(generated, false).join('\n');
    assert.doesNotMatch(text, /generated-admin-token-value-0001/);
    assert.match(text, /Read it with: cat \/srv\/data\/admin-token/);
  });

  it('names the file, not the token, on later starts; and the setting when it comes from one', () => {
    assert.deepEqual(adminTokenLines({ ...generated, created: false }, true), ['admin token: in /srv/data/admin-token']);
    assert.deepEqual(adminTokenLines({ token: 'from-setting-0000000', source: 'setting', created: false, path: undefined }, true), [
      'admin token: from EVENT_ROUTER_ADMIN_TOKEN',
    ]);
  });
});
