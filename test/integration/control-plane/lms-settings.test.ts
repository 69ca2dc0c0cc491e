import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { CALIPER_TRANSFORMERS } from '../../../src/transforms/caliper/registry.js';
import { XAPI_TRANSFORMERS } from '../../../src/transforms/xapi/registry.js';
import { runCli, tempDir } from './support.js';

/**
 * `lms-settings` prints Python that an LMS appends to its settings. Checked with the real
 * interpreter: it compiles (py_compile), and run over a stand-in of the settings it patches, it
 * leaves the state the LMS needs: the bus backend once, exactly our event names, the producer.
 */
const dir = tempDir('lms-settings-');
after(() => dir.remove());
const BUS_BACKEND = 'eventtracking.backends.event_bus.EventBusRoutingBackend';
const transformedNames = [...new Set([...XAPI_TRANSFORMERS.keys(), ...CALIPER_TRANSFORMERS.keys()])].sort();

/** The LMS's settings as ERB leaves them, with the event-transformer backend routing or (Aspects' producer) publishing. */
function erbSettings(erbPublishes: boolean): Record<string, unknown> {
  return {
    EVENT_TRACKING_BACKENDS: {
      tracking_logs: { ENGINE: 'eventtracking.backends.routing.RoutingBackend', OPTIONS: {} },
      event_transformer: { ENGINE: erbPublishes ? BUS_BACKEND : 'eventtracking.backends.async_routing.AsyncRoutingBackend', OPTIONS: {} },
    },
    INSTALLED_APPS: ['django.contrib.auth'],
  };
}

interface Applied {
  EVENT_TRACKING_BACKENDS: Record<string, { ENGINE: string }>;
  EVENT_BUS_TRACKING_LOGS: string[];
  SEND_TRACKING_EVENT_EMITTED_SIGNAL: boolean;
  EVENT_BUS_PRODUCER: string;
  EVENT_BUS_TOPIC_PREFIX: string;
  EVENT_BUS_PRODUCER_CONFIG: Record<string, Record<string, unknown>>;
  INSTALLED_APPS: string[];
  [name: string]: unknown;
}

/** Runs the settings file in python3 over `initial`, returns the resulting settings as JSON. */
function applyInPython(file: string, initial: Record<string, unknown>): Applied {
  const script = [
    'import json, sys',
    'ns = json.loads(sys.argv[2])',
    'exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), ns)',
    'out = {k: (sorted(v) if isinstance(v, set) else v) for k, v in ns.items() if k.isupper()}',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, file, JSON.stringify(initial)], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Applied;
}

function python(t: TestContext): boolean {
  if (spawnSync('python3', ['--version']).status === 0) return true;
  if (process.env['CI'] === 'true') assert.fail('python3 is needed to check the generated settings');
  t.skip('python3 is not installed');
  return false;
}

async function settingsFile(args: string[], name: string): Promise<string> {
  const result = await runCli(['lms-settings', ...args]);
  assert.equal(result.code, 0, result.stderr);
  const file = join(dir.path, name);
  writeFileSync(file, result.stdout);
  return file;
}

describe('edx-event-router lms-settings', () => {
  it('prints valid Python publishing exactly the events we transform on the Redis bus, ERB removed', async (t) => {
    if (!python(t)) return;
    const file = await settingsFile([], 'redis.py');
    const compiled = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);

    const applied = applyInPython(file, erbSettings(false));
    assert.deepEqual(applied.EVENT_BUS_TRACKING_LOGS, transformedNames);
    assert.ok(transformedNames.length > 60 && transformedNames.includes('edx.video.played'));
    assert.equal(applied.EVENT_TRACKING_BACKENDS['event_transformer'], undefined, "ERB's backend is dropped");
    assert.equal(applied.EVENT_TRACKING_BACKENDS['edx_event_router']?.ENGINE, BUS_BACKEND);
    assert.ok(applied.EVENT_TRACKING_BACKENDS['tracking_logs'], 'the tracking log stays');
    assert.equal(applied.SEND_TRACKING_EVENT_EMITTED_SIGNAL, true);
    assert.equal(applied.EVENT_BUS_PRODUCER, 'edx_event_bus_redis.create_producer');
    assert.equal(applied['EVENT_BUS_REDIS_CONNECTION_URL'], 'redis://@redis:6379/');
    assert.equal(applied.EVENT_BUS_TOPIC_PREFIX, 'dev');
    assert.deepEqual(applied.EVENT_BUS_PRODUCER_CONFIG, {
      'org.openedx.analytics.tracking.event.emitted.v1': { analytics: { event_key_field: 'tracking_log.name', enabled: true } },
    });
    assert.deepEqual(applied.INSTALLED_APPS, ['django.contrib.auth', 'openedx_events']);
  });

  it('for Kafka, names the Kafka producer; an existing producer config and app entry are kept', async (t) => {
    if (!python(t)) return;
    const file = await settingsFile(['--bus', 'kafka', '--kafka-bootstrap-servers', 'k1:9092,k2:9092', '--topic-prefix', 'prod'], 'kafka.py');
    const initial = {
      ...erbSettings(false),
      INSTALLED_APPS: ['openedx_events'],
      EVENT_BUS_PRODUCER_CONFIG: { 'org.openedx.learning.course.enrollment.created.v1': { enrollments: { enabled: true } } },
    };
    const applied = applyInPython(file, initial);
    assert.equal(applied.EVENT_BUS_PRODUCER, 'edx_event_bus_kafka.create_producer');
    assert.equal(applied['EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS'], 'k1:9092,k2:9092');
    assert.equal(applied.EVENT_BUS_TOPIC_PREFIX, 'prod');
    assert.deepEqual(Object.keys(applied.EVENT_BUS_PRODUCER_CONFIG).sort(), [
      'org.openedx.analytics.tracking.event.emitted.v1',
      'org.openedx.learning.course.enrollment.created.v1',
    ]);
    assert.deepEqual(applied.INSTALLED_APPS, ['openedx_events']);
  });

  it('--keep-erb leaves ERB routing, and adds no second producer where ERB already publishes', async (t) => {
    if (!python(t)) return;
    const file = await settingsFile(['--keep-erb'], 'keep.py');
    const routing = applyInPython(file, erbSettings(false));
    assert.ok(routing.EVENT_TRACKING_BACKENDS['event_transformer'], "ERB's backend stays");
    assert.equal(routing.EVENT_TRACKING_BACKENDS['edx_event_router']?.ENGINE, BUS_BACKEND);
    const publishing = applyInPython(file, erbSettings(true));
    const producers = Object.values(publishing.EVENT_TRACKING_BACKENDS).filter((b) => b.ENGINE === BUS_BACKEND);
    assert.equal(producers.length, 1, 'one producer of tracking events on the bus');
  });
});
