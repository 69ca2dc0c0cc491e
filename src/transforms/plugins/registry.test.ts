import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SkipEventError } from '../../core/errors.js';
import { normalizeEvent, type OpenEdxEvent } from '../../core/event.js';
import { fixtureContext } from '../../../test/support/fixture-context.js';
import { transformCaliper } from '../caliper/transform.js';
import type { CompatMode } from '../shared/transform-settings.js';
import { activity } from '../xapi/statement.js';
import { transformXapi } from '../xapi/transform.js';
import type { XapiTransformer } from '../xapi/transformer.js';
import { ACTIVITY } from '../xapi/vocabulary.js';
import type { EventRouterPlugin } from './api.js';
import { buildRegistry, PluginConflictError, type LoadedPlugin } from './registry.js';

function event(name: string, data: Record<string, unknown> = {}): OpenEdxEvent {
  const normalized = normalizeEvent({
    name,
    timestamp: '2024-03-04T10:20:30.123456+00:00',
    data: { course_id: 'course-v1:edX+DemoX+Demo_Course', ...data },
    context: { course_id: 'course-v1:edX+DemoX+Demo_Course', user_id: 3, session: 's1' },
  });
  assert.ok(normalized.ok);
  return normalized.event;
}

const good: XapiTransformer = (run) =>
  run.statement({ verb: run.verb('viewed'), object: activity(run.iri('xblock', 'block-v1:x'), { type: ACTIVITY.module }) });

function loaded(plugin: EventRouterPlugin, source = `/plugins/${plugin.name}.js`): LoadedPlugin {
  return { plugin, source };
}

function withReports(plugins: LoadedPlugin[]) {
  const reports: string[] = [];
  const registry = buildRegistry(plugins, (plugin, name, message) => reports.push(`${plugin}|${name}|${message}`));
  const run = (name: string, compat: CompatMode = 'valid') => transformXapi(event(name), fixtureContext(compat, { registry }));
  return { registry, reports, run };
}

describe('plugin registry', () => {
  it('adds a plugin name next to the built-ins and says where each comes from', () => {
    const { registry, run } = withReports([loaded({ name: 'site', xapi: { 'site.viewed': good } })]);
    assert.equal(registry.origin('xapi', 'site.viewed'), 'plugin site (/plugins/site.js)');
    assert.equal(registry.origin('xapi', 'edx.course.enrollment.activated'), 'built-in');
    assert.equal(registry.origin('caliper', 'site.viewed'), undefined);
    const outcome = run('site.viewed');
    assert.ok(outcome.ok);
    assert.equal(outcome.statements[0]?.object.id, 'http://localhost:18000/xblock/block-v1:x');
  });

  it('refuses a built-in name without `replaces`, naming the plugin and the event', () => {
    assert.throws(
      () => buildRegistry([loaded({ name: 'site', xapi: { 'edx.course.enrollment.activated': good } })], () => undefined),
      (error: Error) =>
        error instanceof PluginConflictError &&
        error.message.includes('plugin site (/plugins/site.js)') &&
        error.message.includes('"edx.course.enrollment.activated"') &&
        error.message.includes('replaces'),
    );
  });

  it('replaces a built-in name listed in `replaces`', () => {
    const { registry, run } = withReports([
      loaded({ name: 'site', xapi: { 'edx.course.enrollment.activated': good }, replaces: ['edx.course.enrollment.activated'] }),
    ]);
    assert.equal(registry.origin('xapi', 'edx.course.enrollment.activated'), 'plugin site (/plugins/site.js)');
    const outcome = run('edx.course.enrollment.activated');
    assert.ok(outcome.ok);
    assert.equal(outcome.statements[0]?.verb.id, 'http://id.tincanapi.com/verb/viewed');
  });

  it('refuses two plugins claiming one name, naming both', () => {
    assert.throws(
      () => buildRegistry([loaded({ name: 'one', xapi: { 'site.viewed': good } }), loaded({ name: 'two', xapi: { 'site.viewed': good } })], () => undefined),
      /plugin two \(\/plugins\/two\.js\) registers xAPI event "site\.viewed", which plugin one \(\/plugins\/one\.js\) already handles/,
    );
  });

  it('leaves the built-in maps alone', () => {
    withReports([loaded({ name: 'site', xapi: { 'edx.course.enrollment.activated': good }, replaces: ['edx.course.enrollment.activated'] })]);
    const outcome = transformXapi(event('edx.course.enrollment.activated'), fixtureContext('valid'));
    assert.ok(outcome.ok);
    assert.equal(outcome.statements[0]?.verb.id, 'http://adlnet.gov/expapi/verbs/registered');
  });
});

describe('plugin guard', () => {
  it('a plugin that throws skips the event with plugin_error, reported once per plugin and name', () => {
    const { reports, run } = withReports([
      loaded({
        name: 'broken',
        xapi: {
          'site.a': () => {
            throw new Error('boom');
          },
          'site.b': () => {
            throw new TypeError('bad');
          },
        },
      }),
    ]);
    for (let i = 0; i < 3; i++) {
      const a = run('site.a');
      assert.equal(a.ok ? 'produced' : a.reason, 'plugin_error');
      assert.match(a.ok ? '' : a.message, /plugin "broken", event "site.a": boom/);
    }
    const b = run('site.b', 'erb');
    assert.equal(b.ok ? 'produced' : b.reason, 'plugin_error');
    assert.deepEqual(reports, ['broken|site.a|boom', 'broken|site.b|bad']);
  });

  it('a skip with a known reason stays that skip; an unknown reason is a plugin_error', () => {
    const { reports, run } = withReports([
      loaded({
        name: 'skips',
        xapi: {
          'site.known': () => {
            throw new SkipEventError('missing_field', 'no unit');
          },
          'site.unknown': () => {
            throw Object.assign(new SkipEventError('missing_field', 'x'), { reason: 'made_up' });
          },
          // The run's own skips (an unknown user here) come through unchanged.
          'site.anonymous': (run) => run.statement({ verb: run.verb('viewed'), object: activity('http://x/y') }),
        },
      }),
    ]);
    const known = run('site.known');
    assert.deepEqual(known.ok ? 'produced' : [known.reason, known.message], ['missing_field', 'no unit']);
    const unknown = run('site.unknown');
    assert.equal(unknown.ok ? 'produced' : unknown.reason, 'plugin_error');
    const anonymous = transformXapi(
      { ...event('site.anonymous'), context: { course_id: 'c' } },
      fixtureContext('valid', { registry: withReports([loaded({ name: 'p', xapi: { 'site.anonymous': good } })]).registry }),
    );
    assert.equal(anonymous.ok ? 'produced' : anonymous.reason, 'unknown_user');
    assert.equal(reports.length, 1);
  });

  it('an invalid statement is a plugin_error in the default mode and passes through with --compat erb', () => {
    const invalid: XapiTransformer = (run) => run.statement({ verb: { id: 'viewed', display: { en: 'viewed' } }, object: activity('http://x/y') });
    const { reports, run } = withReports([loaded({ name: 'sloppy', xapi: { 'site.invalid': invalid, 'site.nothing': () => [] } })]);
    const valid = run('site.invalid');
    assert.equal(valid.ok ? 'produced' : valid.reason, 'plugin_error');
    assert.match(valid.ok ? '' : valid.message, /invalid xAPI statement: \/verb\/id/);
    const erb = run('site.invalid', 'erb');
    assert.ok(erb.ok);
    const nothing = run('site.nothing');
    assert.equal(nothing.ok ? 'produced' : nothing.reason, 'plugin_error');
    assert.equal(reports.length, 2);
  });

  it('guards Caliper transformers with the Caliper checks', () => {
    const reports: string[] = [];
    const registry = buildRegistry(
      [
        loaded({
          name: 'cal',
          caliper: { 'site.viewed': (run) => run.event({ type: 'ViewEvent', action: 'Viewed', object: { id: 'nope', type: 'Nothing' } }) },
        }),
      ],
      (plugin, name, message) => reports.push(`${plugin}|${name}|${message}`),
    );
    const outcome = transformCaliper(event('site.viewed'), fixtureContext('valid', { registry }));
    assert.equal(outcome.ok ? 'produced' : outcome.reason, 'plugin_error');
    assert.equal(reports.length, 1);
  });
});
