import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredRouter } from '../../routers/types.js';
import { DEFAULT_DESTINATIONS } from '../../routers/destination-policy.js';
import { checkRouterForm } from './router-check.js';

const form = (fields: Record<string, string>) => new URLSearchParams({ backend: 'xapi', routeUrl: 'https://lrs.example.com/xAPI/', enabled: 'on', ...fields });

const stored: StoredRouter = {
  id: 'r1',
  backend: 'xapi',
  routeUrl: 'https://lrs.example.com/xAPI/',
  auth: { scheme: 'basic', username: 'key', password: 'stored-secret' },
  enabled: true,
  configurations: { headers: { 'X-Api-Key': 'stored-header-secret', 'X-Plain': 'a' } },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('checkRouterForm', () => {
  it('builds the router the admin API would, with the auth fields of the chosen scheme only', () => {
    const check = checkRouterForm(form({ authScheme: 'bearer', token: 't0k', username: 'ignored', password: 'ignored' }), undefined, DEFAULT_DESTINATIONS);
    assert.equal(check.ok, true);
    assert.deepEqual(check.spec?.auth, { scheme: 'bearer', token: 't0k' });
    assert.deepEqual(check.warnings, []);
  });

  it('reports every problem at once: fields refused on their own and what does not fit together', () => {
    const check = checkRouterForm(
      form({ routeUrl: 'ftp://x', authScheme: 'basic', username: 'a:b', configurations: '{"match_params": {"name": "(x"}}' }),
      undefined,
      DEFAULT_DESTINATIONS,
    );
    assert.equal(check.ok, false);
    assert.deepEqual(check.errors.map((e) => e.field).sort(), ['configurations.match_params.name', 'password', 'routeUrl', 'username']);
  });

  it('keeps the stored password when left empty, and [redacted] header values', () => {
    const check = checkRouterForm(
      form({ authScheme: 'basic', username: 'key', password: '', configurations: '{"headers": {"X-Api-Key": "[redacted]", "X-Plain": "b"}}' }),
      stored,
      DEFAULT_DESTINATIONS,
    );
    assert.equal(check.ok, true, JSON.stringify(check.errors));
    assert.deepEqual(check.spec?.auth, stored.auth);
    assert.deepEqual(check.spec?.configurations, { headers: { 'X-Api-Key': 'stored-header-secret', 'X-Plain': 'b' } });
  });

  it('needs a new secret when the scheme changes', () => {
    const check = checkRouterForm(form({ authScheme: 'bearer', token: '' }), stored, DEFAULT_DESTINATIONS);
    assert.deepEqual(check.errors, [{ field: 'token', message: 'is required for bearer auth' }]);
  });

  it('locates a JSON error and still checks the other fields', () => {
    const check = checkRouterForm(form({ routeUrl: '', authScheme: 'none', configurations: '{\n "a": 1,\n}' }), undefined, DEFAULT_DESTINATIONS);
    assert.equal(check.json?.line, 3);
    assert.equal(check.json?.lineText, '}');
    assert.deepEqual(
      check.errors.map((e) => e.field),
      ['configurations', 'routeUrl'],
    );
  });

  it('flags unknown configuration keys as warnings, and saves an empty box as null', () => {
    assert.match(
      checkRouterForm(form({ authScheme: 'none', configurations: '{"match_param": {}}' }), undefined, DEFAULT_DESTINATIONS).warnings.join(),
      /match_param: not used/,
    );
    const empty = checkRouterForm(form({ authScheme: 'none', configurations: '  ' }), undefined, DEFAULT_DESTINATIONS);
    assert.equal(empty.spec?.configurations, null);
    assert.equal(empty.emptyConfigurations, true);
  });
});
