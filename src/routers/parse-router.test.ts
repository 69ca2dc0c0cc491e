import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DESTINATIONS } from './destination-policy.js';
import { parseRouterDraft, resolveRouter, type ResolveOutcome } from './parse-router.js';
import type { RouterSpec } from './types.js';

const CALIPER_SAMPLE =
  '{"override_args":{"sensor_id":"sensor@example.com"},"headers":{"test":"header"},"match_params":{"course_id":"^.*course-v.:edX\\\\+.*\\\\+2021.*$","name":["^problem.*","video"]}}';
const XAPI_SAMPLE = '{"match_params":{"enterprise_uuid":"org_XYZ","name":["edx.course.grade.passed.first_time","edx.course.enrollment.activated"]}}';

function create(body: unknown, base?: RouterSpec, mode: 'create' | 'replace' | 'patch' = 'create'): ResolveOutcome {
  const draft = parseRouterDraft(body);
  if (!draft.ok) return draft;
  return resolveRouter(draft.draft, { mode, base, fieldNames: draft.fieldNames, destinations: DEFAULT_DESTINATIONS });
}

function errorFields(outcome: ResolveOutcome): string[] {
  assert.equal(outcome.ok, false, 'expected a refusal');
  return outcome.ok ? [] : outcome.errors.map((e) => e.field);
}

describe('parseRouterDraft + resolveRouter', () => {
  it('loads both samples unchanged, as JSON text or as objects', () => {
    for (const text of [CALIPER_SAMPLE, XAPI_SAMPLE]) {
      for (const configurations of [text, JSON.parse(text) as unknown]) {
        const outcome = create({ backend: 'caliper', routeUrl: 'https://lrs.example.com/', configurations });
        assert.ok(outcome.ok, JSON.stringify(outcome));
        assert.equal(JSON.stringify(outcome.spec.configurations), text);
      }
    }
  });

  it('accepts an ERB row as is (backend_name, route_url, auth_scheme, auth_key)', () => {
    const outcome = create({
      backend_name: 'xAPI',
      route_url: 'http://ralph:8100/xAPI/',
      auth_scheme: 'Bearer',
      auth_key: 'tok',
      username: null,
      password: null,
      enabled: true,
      configurations: XAPI_SAMPLE,
    });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.spec.auth, { scheme: 'bearer', token: 'tok' });
    assert.equal(outcome.spec.backend, 'xapi');
  });

  it("warns about the samples' top-level keys and the sensor_id override", () => {
    const outcome = create({ backend: 'caliper', routeUrl: 'https://x/', configurations: CALIPER_SAMPLE });
    assert.ok(outcome.ok);
    assert.match(outcome.warnings.join('\n'), /context\.course_id/);
    assert.match(outcome.warnings.join('\n'), /sensor_id/);
  });

  const refusals: Array<[string, unknown, string[], RegExp]> = [
    [
      'invalid regex',
      { backend: 'xapi', routeUrl: 'https://x/', configurations: { match_params: { name: ['ok', '(unclosed'] } } },
      ['configurations.match_params.name[1]'],
      /"\(unclosed"/,
    ],
    [
      'Python-only regex',
      { backend: 'xapi', routeUrl: 'https://x/', configurations: { match_params: { name: '(?<=a)b' } } },
      ['configurations.match_params.name'],
      /lookbehind/,
    ],
    ['unknown auth scheme', { backend: 'xapi', routeUrl: 'https://x/', authScheme: 'Digest' }, ['authScheme'], /unknown auth scheme "Digest"/],
    ['bearer without token', { backend: 'xapi', routeUrl: 'https://x/', authScheme: 'bearer' }, ['token'], /required for bearer/],
    [
      'ERB bearer without auth_key',
      { backend_name: 'xAPI', route_url: 'https://x/', auth_scheme: 'Bearer', auth_key: '' },
      ['auth_key'],
      /required for bearer/,
    ],
    ['basic without password', { backend: 'xapi', routeUrl: 'https://x/', authScheme: 'basic', username: 'u' }, ['password'], /required for basic/],
    ['malformed configurations JSON', { backend: 'xapi', routeUrl: 'https://x/', configurations: '{"match_params": ' }, ['configurations'], /not valid JSON/],
    ['configurations not an object', { backend: 'xapi', routeUrl: 'https://x/', configurations: [1] }, ['configurations'], /JSON object/],
    ['unknown backend', { backend: 'kafka', routeUrl: 'https://x/' }, ['backend'], /"xapi" or "caliper"/],
    ['missing url', { backend: 'xapi' }, ['routeUrl'], /required/],
    ['bad url', { backend: 'xapi', routeUrl: 'ftp://x/' }, ['routeUrl'], /http/],
    ['credentials in the url', { backend: 'xapi', routeUrl: 'https://u:p@x/' }, ['routeUrl'], /credentials/],
    [
      'header value not a string',
      { backend: 'caliper', routeUrl: 'https://x/', configurations: { headers: { a: 1 } } },
      ['configurations.headers.a'],
      /string/,
    ],
    [
      'override_args not an object',
      { backend: 'caliper', routeUrl: 'https://x/', configurations: { override_args: 'x' } },
      ['configurations.override_args'],
      /object/,
    ],
    ['unknown field', { backend: 'xapi', routeUrl: 'https://x/', route: 'y' }, ['route'], /unknown field/],
    ['field given twice', { backend: 'xapi', routeUrl: 'https://x/', route_url: 'https://y/' }, ['route_url'], /given twice/],
  ];
  for (const [title, body, fields, message] of refusals) {
    it(`refuses: ${title}, naming the field`, () => {
      const outcome = create(body);
      assert.deepEqual(errorFields(outcome), fields);
      if (!outcome.ok) assert.match(outcome.errors[0]?.message ?? '', message);
    });
  }

  it('reports every problem at once', () => {
    const outcome = create({ backend: 'x', routeUrl: 'nope', authScheme: 'magic', configurations: '{' });
    assert.deepEqual(errorFields(outcome), ['backend', 'routeUrl', 'authScheme', 'configurations']);
  });

  const base: RouterSpec = {
    backend: 'xapi',
    routeUrl: 'https://lrs/',
    auth: { scheme: 'basic', username: 'u', password: 'p' },
    enabled: true,
    configurations: { match_params: { name: 'video' } },
  };

  it('PATCH keeps what is not given, secrets included', () => {
    const outcome = create({ enabled: false }, base, 'patch');
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.spec, { ...base, enabled: false });
  });

  it('PUT keeps the password when the scheme stays basic, and resets omitted fields', () => {
    const outcome = create({ backend: 'xapi', routeUrl: 'https://lrs/', authScheme: 'basic', username: 'v' }, base, 'replace');
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.spec.auth, { scheme: 'basic', username: 'v', password: 'p' });
    assert.equal(outcome.spec.configurations, null);
  });

  it('switching to bearer needs a token; the old password is dropped', () => {
    assert.deepEqual(errorFields(create({ authScheme: 'bearer' }, base, 'patch')), ['token']);
    const outcome = create({ authScheme: 'bearer', token: 't' }, base, 'patch');
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.spec.auth, { scheme: 'bearer', token: 't' });
  });
});
