import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DESTINATIONS } from './destination-policy.js';
import { parseErbRouters } from './erb-import.js';

const CALIPER_CONFIG =
  '{"override_args":{"sensor_id":"sensor@example.com"},"headers":{"test":"header"},"match_params":{"course_id":"^.*course-v.:edX\\\\+.*\\\\+2021.*$","name":["^problem.*","video"]}}';

describe('parseErbRouters', () => {
  it('imports rows with ERB field names and values, configurations as text or object', () => {
    const outcome = parseErbRouters(
      [
        {
          id: 1,
          backend_name: 'Caliper',
          route_url: 'https://c/',
          auth_scheme: 'Bearer',
          auth_key: 't',
          username: '',
          password: '',
          enabled: true,
          configurations: CALIPER_CONFIG,
        },
        {
          id: 2,
          backend_name: 'XAPI',
          route_url: 'https://x/',
          auth_scheme: 'Basic',
          auth_key: null,
          username: 'u',
          password: 'p',
          enabled: false,
          configurations: { match_params: { name: 'video' } },
        },
        { id: 3, backend_name: 'xapi', route_url: 'https://n/', auth_scheme: null, configurations: null },
      ],
      DEFAULT_DESTINATIONS,
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const [caliper, xapi, open] = outcome.routers.map((r) => r.spec);
    assert.equal(JSON.stringify(caliper?.configurations), CALIPER_CONFIG);
    assert.deepEqual(caliper?.auth, { scheme: 'bearer', token: 't' });
    assert.deepEqual(xapi?.auth, { scheme: 'basic', username: 'u', password: 'p' });
    assert.equal(xapi?.enabled, false);
    assert.equal(open?.enabled, false, "ERB's default for enabled is false");
    assert.deepEqual(open?.auth, { scheme: 'none' });
  });

  it('accepts Django dumpdata objects', () => {
    const outcome = parseErbRouters(
      [
        {
          model: 'event_routing_backends.routerconfiguration',
          pk: 7,
          fields: { backend_name: 'xAPI', route_url: 'https://x/', enabled: true, change_date: '2024-01-01', changed_by: 1 },
        },
      ],
      DEFAULT_DESTINATIONS,
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.routers[0]?.spec.routeUrl, 'https://x/');
  });

  it('keeps only the latest row per route_url (config-models current_set)', () => {
    const outcome = parseErbRouters(
      [
        { id: 5, backend_name: 'xAPI', route_url: 'https://x/', enabled: false },
        { id: 2, backend_name: 'xAPI', route_url: 'https://x/', enabled: true },
      ],
      DEFAULT_DESTINATIONS,
    );
    assert.ok(outcome.ok);
    assert.equal(outcome.routers.length, 1);
    assert.equal(outcome.routers[0]?.spec.enabled, false);
    assert.deepEqual(
      outcome.skipped.map((s) => s.index),
      [1],
    );
  });

  it('warns that ERB ignored a lowercase auth_scheme', () => {
    const outcome = parseErbRouters([{ backend_name: 'xAPI', route_url: 'https://x/', auth_scheme: 'bearer', auth_key: 't' }], DEFAULT_DESTINATIONS);
    assert.ok(outcome.ok);
    assert.match(outcome.routers[0]?.warnings.join('\n') ?? '', /\[0\]\.auth_scheme: "bearer" sent no credentials in ERB/);
  });

  it('refuses the whole import, listing every bad row and field', () => {
    const outcome = parseErbRouters(
      [
        { backend_name: 'xAPI', route_url: 'https://ok/' },
        { backend_name: 'Kafka', route_url: 'https://x/' },
        { backend_name: 'xAPI', route_url: 'https://y/', auth_scheme: 'Bearer' },
        { backend_name: 'xAPI', route_url: 'https://z/', configurations: '{"match_params":{"name":"("}}' },
        { backend_name: 'xAPI', route_url: 'https://w/', configurations: '{oops' },
      ],
      DEFAULT_DESTINATIONS,
    );
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.deepEqual(
      outcome.errors.map((e) => e.field),
      ['[1].backend_name', '[2].auth_key', '[3].configurations.match_params.name', '[4].configurations'],
    );
  });

  it('refuses input that is not a list', () => {
    assert.equal(parseErbRouters({ backend_name: 'xAPI' }, DEFAULT_DESTINATIONS).ok, false);
  });
});
