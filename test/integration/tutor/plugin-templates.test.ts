import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { SETTING_NAMES } from '../../../src/config/schema.js';
import { supportedEvents } from '../../../src/transforms/supported-events.js';
import { repoRoot } from '../../support/paths.js';
import { ADMIN_TOKEN, baseSettings, call, cleanEnv, scratch, startService, type RunningService } from '../service/support.js';
import {
  composeEnv,
  containerEnv,
  objectNames,
  pyCompileError,
  pythonMissing,
  renderPlugin,
  runSettings,
  skipOrFail,
  yamlDocuments,
  yamlMapping,
  type RenderedPlugin,
} from './support.js';

// The Tutor plugin's templates rendered with Jinja2 alone (Debian's python3-jinja2), over Tutor's
// default settings: no Tutor needed, so this runs everywhere. tutor-config-save.test.ts renders
// them through Tutor itself where its source is available.

const missing = pythonMissing(['jinja2', 'yaml', 'click', 'importlib_resources']);
const TRANSFORMED = supportedEvents()
  .filter((row) => row.xapi || row.caliper)
  .map((row) => row.name);

/** Aspects' settings as its plugin declares them (tutoraspects/plugin.py), for the Ralph router. */
const ASPECTS = {
  RUN_RALPH: true,
  RALPH_HOST: 'ralph',
  RALPH_PORT: '8100',
  RALPH_RUN_HTTPS: false,
  RALPH_LMS_USERNAME: 'lms',
  RALPH_LMS_PASSWORD: 'ralph-lms-password',
};

describe('Tutor plugin: generated files', () => {
  it('event_names.py and the template Dockerfile equal what the project gives', async () => {
    const root = repoRoot();
    const generator = (await import(pathToFileURL(join(root, 'scripts', 'tutor-plugin-files.mjs')).href)) as {
      tutorPluginFiles(root: string): Promise<Record<string, string>>;
    };
    const files = await generator.tutorPluginFiles(root);
    assert.equal(Object.keys(files).length, 2);
    for (const [path, content] of Object.entries(files)) {
      assert.equal(readFileSync(join(root, path), 'utf8'), content, `${path} is stale: run node scripts/tutor-plugin-files.mjs --write`);
    }
  });
});

describe('Tutor plugin: templates rendered with Jinja2', () => {
  let follow: RenderedPlugin;
  let bus: RenderedPlugin;
  before(() => {
    if (missing !== undefined) return;
    follow = renderPlugin();
    bus = renderPlugin({ EVENT_ROUTER_SOURCE: 'bus' });
  });

  it('follow (default): the compose service reads the LMS and CMS data folders read-only', (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    const services = yamlMapping(follow.files['patches/local-docker-compose-services']!);
    assert.deepEqual(Object.keys(services), ['event-router']);
    const service = services['event-router'];
    assert.equal(service.image, `edx-event-router:${follow.version}`);
    assert.deepEqual(service.volumes, [
      '../../data/event-router:/var/lib/edx-event-router',
      '../../data/lms:/openedx-data/lms:ro',
      '../../data/cms:/openedx-data/cms:ro',
    ]);
    assert.deepEqual(service.depends_on, ['permissions', 'mysql']);
    const env = composeEnv(service);
    assert.deepEqual(JSON.parse(env['EVENT_ROUTER_FOLLOW']!), ['/openedx-data/lms/logs/tracking.log', '/openedx-data/cms/logs/tracking.log']);
    assert.equal(env['EVENT_ROUTER_BUS_URL'], undefined);
    assert.equal(env['EVENT_ROUTER_HOST'], '0.0.0.0');
    assert.match(env['EVENT_ROUTER_INGEST_TOKEN']!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(env['EVENT_ROUTER_SECRET_KEY']!, /^[0-9a-f]{64}$/);
    assert.equal(env['LMS_ROOT_URL'], 'http://local.openedx.io');
    // A password with URL characters stays one password: Tutor's stand-in is "pa$$:w@rd/1".
    assert.equal(env['EVENT_ROUTER_LMS_DATABASE_URL'], 'mysql://openedx:pa%24%24%3Aw%40rd%2F1@mysql:3306/openedx');
    assert.equal(new URL(env['EVENT_ROUTER_LMS_DATABASE_URL']).password, 'pa%24%24%3Aw%40rd%2F1');
    for (const name of Object.keys(env)) {
      assert.ok(name === 'LMS_ROOT_URL' || (SETTING_NAMES as string[]).includes(name), `${name} is not a setting the service reads`);
    }
    assert.equal(follow.files['patches/openedx-common-settings']!.trim(), '', 'no LMS change in the follow way');
    const permissions = yamlDocuments(follow.files['patches/local-docker-compose-permissions-volumes']!);
    assert.deepEqual(permissions, [['../../data/event-router:/mounts/event-router']]);
    assert.equal(follow.files['patches/local-docker-compose-permissions-command']!.trim(), 'setowner 1000 /mounts/event-router');
  });

  it('the service loads the settings the plugin passes, in both ways, and takes the values meant', (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    for (const rendered of [follow, bus]) {
      const env = composeEnv(yamlMapping(rendered.files['patches/local-docker-compose-services']!)['event-router']);
      const run = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'edx-event-router.js'), 'config', 'show', '--json'], {
        env: cleanEnv(env),
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr.trim(), '', 'no warning about the settings the plugin passes');
      const settings = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.equal(settings['EVENT_ROUTER_HOST'], '0.0.0.0');
      assert.equal(settings['EVENT_ROUTER_DATA_DIR'], '/var/lib/edx-event-router');
      assert.equal(settings['LMS_ROOT_URL'], 'http://local.openedx.io');
      assert.equal(settings['XAPI_EVENTS_ENABLED'], true);
      assert.equal(settings['CALIPER_EVENTS_ENABLED'], false);
      assert.equal(settings['XAPI_EVENT_LOGGING_ENABLED'], false);
      assert.equal(settings['EVENT_ROUTING_BACKEND_BATCHING_ENABLED'], true);
      assert.equal(settings['EVENT_ROUTING_BACKEND_BATCH_SIZE'], 100);
      assert.equal(settings['EVENT_ROUTING_BACKEND_BATCH_INTERVAL'], 5);
      assert.deepEqual(settings['EVENT_ROUTER_IDENTITY_SOURCES'], ['lms-database']);
      assert.deepEqual(settings['EVENT_ROUTER_COURSE_NAME_SOURCES'], ['lms-database']);
      for (const secret of ['EVENT_ROUTER_ADMIN_TOKEN', 'EVENT_ROUTER_SECRET_KEY', 'EVENT_ROUTER_INGEST_TOKEN', 'EVENT_ROUTER_LMS_DATABASE_URL']) {
        assert.equal(settings[secret], '[redacted]', `${secret} is set (and shown redacted)`);
      }
      assert.equal(settings['EVENT_ROUTER_BUS_URL'], rendered === bus ? '[redacted]' : undefined);
    }
    // Aspects declares these three with the same defaults (tutoraspects/plugin.py): Tutor keeps
    // the default of the plugin loaded last, so equal values leave nothing to chance.
    assert.equal(follow.config['EVENT_ROUTING_BACKEND_BATCHING_ENABLED'], true);
    assert.equal(follow.config['EVENT_ROUTING_BACKEND_BATCH_SIZE'], 100);
    assert.equal(follow.config['EVENT_ROUTING_BACKEND_BATCH_INTERVAL'], 5);
  });

  it('the Kubernetes manifests parse, with the Deployment, Service, claim and job the service needs', (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    for (const rendered of [follow, bus]) {
      const deployments = yamlDocuments(rendered.files['patches/k8s-deployments']!);
      const services = yamlDocuments(rendered.files['patches/k8s-services']!);
      const volumes = yamlDocuments(rendered.files['patches/k8s-volumes']!);
      const jobs = yamlDocuments(rendered.files['patches/k8s-jobs']!);
      assert.deepEqual(objectNames(deployments), ['Deployment/event-router']);
      assert.deepEqual(objectNames(services), ['Service/event-router']);
      assert.deepEqual(objectNames(volumes), ['PersistentVolumeClaim/event-router']);
      assert.deepEqual(objectNames(jobs), ['Job/event-router-job']);
      const pod = deployments[0]!['spec']['template']['spec'];
      const container = pod['containers'][0];
      assert.equal(pod['volumes'][0]['persistentVolumeClaim']['claimName'], 'event-router');
      assert.equal(container['volumeMounts'][0]['mountPath'], '/var/lib/edx-event-router');
      assert.equal(container['readinessProbe']['httpGet']['path'], '/readyz');
      assert.equal(deployments[0]!['spec']['strategy']['type'], 'Recreate');
      assert.equal(services[0]!['spec']['ports'][0]['port'], 8080);
      assert.deepEqual(volumes[0]!['spec']['accessModes'], ['ReadWriteOnce']);
      // The same settings in compose and in Kubernetes.
      const compose = composeEnv(yamlMapping(rendered.files['patches/local-docker-compose-services']!)['event-router']);
      assert.deepEqual(containerEnv(container), compose);
      const jobContainer = jobs[0]!['spec']['template']['spec']['containers'][0];
      const jobEnv = containerEnv(jobContainer);
      assert.equal(jobEnv['ADMIN_API_URL'], 'http://event-router:8080');
      assert.equal(jobContainer['command'], undefined, 'the image has no ENTRYPOINT: Tutor runs sh -e -c as the args');
    }
  });

  it('bus: the service consumes dev-analytics with its own group, and the LMS settings publish exactly the transformed events', (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    const service = yamlMapping(bus.files['patches/local-docker-compose-services']!)['event-router'];
    const env = composeEnv(service);
    assert.equal(env['EVENT_ROUTER_BUS_URL'], 'redis://redis:6379/0?prefix=dev&group=edx_event_router');
    assert.equal(env['EVENT_ROUTER_FOLLOW'], undefined);
    assert.deepEqual(service.volumes, ['../../data/event-router:/var/lib/edx-event-router'], 'no log folders in the bus way');
    assert.deepEqual(service.depends_on, ['permissions', 'redis', 'mysql']);

    const lms = bus.files['patches/openedx-common-settings']!;
    assert.equal(pyCompileError(lms), undefined);
    // As the LMS runs it: after Tutor's and edx-platform's settings, which define these.
    const settings = runSettings(lms, {
      EVENT_TRACKING_BACKENDS: { tracking_logs: { ENGINE: 'eventtracking.backends.routing.RoutingBackend' } },
      EVENT_BUS_PRODUCER_CONFIG: { 'org.openedx.content_authoring.xblock.published.v1': { 'course-authoring-xblock-lifecycle': { enabled: true } } },
      INSTALLED_APPS: ['django.contrib.auth'],
    });
    assert.deepEqual(settings['EVENT_BUS_TRACKING_LOGS'], TRANSFORMED);
    assert.equal(TRANSFORMED.length, 65);
    assert.equal(settings['SEND_TRACKING_EVENT_EMITTED_SIGNAL'], true);
    assert.deepEqual(settings['EVENT_TRACKING_BACKENDS'], {
      tracking_logs: { ENGINE: 'eventtracking.backends.routing.RoutingBackend' },
      event_router_bus: { ENGINE: 'eventtracking.backends.event_bus.EventBusRoutingBackend', OPTIONS: { backend_name: 'event_router_bus' } },
    });
    assert.deepEqual(settings['EVENT_BUS_PRODUCER_CONFIG'], {
      'org.openedx.content_authoring.xblock.published.v1': { 'course-authoring-xblock-lifecycle': { enabled: true } },
      'org.openedx.analytics.tracking.event.emitted.v1': { analytics: { event_key_field: 'tracking_log.name', enabled: true } },
    });
    assert.deepEqual(settings['INSTALLED_APPS'], ['django.contrib.auth', 'openedx_events']);
    // Without a producer config of its own, the LMS gets one.
    const bare = runSettings(lms, { EVENT_TRACKING_BACKENDS: {}, INSTALLED_APPS: ['openedx_events'] });
    assert.deepEqual(bare['EVENT_BUS_PRODUCER_CONFIG'], {
      'org.openedx.analytics.tracking.event.emitted.v1': { analytics: { event_key_field: 'tracking_log.name', enabled: true } },
    });
    assert.deepEqual(bare['INSTALLED_APPS'], ['openedx_events']);
  });

  it('images and do commands: build, pull, push the service image; replay and dead letters in the job container', (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    const tag = `edx-event-router:${follow.version}`;
    assert.deepEqual(follow.images, {
      build: [['event-router', ['plugins', 'event-router', 'build', 'event-router'], tag]],
      pull: [['event-router', tag]],
      push: [['event-router', tag]],
    });
    const dockerfile = follow.files['templates/event-router/build/event-router/Dockerfile']!;
    assert.match(dockerfile, /^FROM scratch AS edx-event-router-src\n\n/m, 'no repository set: the sources come from a mounted clone');
    const fromRepo = renderPlugin({ EVENT_ROUTER_REPOSITORY: 'https://git.example.com/edx-event-router.git', EVENT_ROUTER_REPOSITORY_VERSION: 'v1' });
    assert.match(
      fromRepo.files['templates/event-router/build/event-router/Dockerfile']!,
      /^FROM scratch AS edx-event-router-src\nADD https:\/\/git\.example\.com\/edx-event-router\.git#v1 \/\n/m,
    );
    assert.deepEqual(follow.do, {
      'event-router-replay': [['event-router', 'edx-event-router replay --routers --no-progress /openedx-data/lms/logs /openedx-data/cms/logs']],
      'event-router-replay --since 2024-01-01 x.log': [['event-router', 'edx-event-router replay --routers --no-progress --since 2024-01-01 x.log']],
      'event-router-dead-letters list --json': [['event-router', 'edx-event-router dead-letters list --json']],
      'event-router-dead-letters retry --all': [['event-router', 'edx-event-router dead-letters retry --all']],
    });
  });
});

describe('Tutor plugin: the init task against the running service', () => {
  const dir = scratch('tutor-init');
  let service: RunningService | undefined;
  after(async () => {
    await service?.stop();
    dir.remove();
  });

  /** Runs the rendered init task as Tutor does (`sh -e -c`), with the job's rendered environment. */
  function runInit(rendered: RenderedPlugin, url: string): { status: number | null; stdout: string; stderr: string } {
    const [jobService, task] = rendered.init_task;
    assert.equal(jobService, 'event-router');
    const job = composeEnv(yamlMapping(rendered.files['patches/local-docker-compose-jobs-services']!)['event-router-job']);
    assert.equal(job['ADMIN_API_URL'], 'http://event-router:8080');
    // Here the service is on loopback with the tests' admin token, not at event-router:8080.
    const env = cleanEnv({ ...job, ADMIN_API_URL: url, EVENT_ROUTER_ADMIN_TOKEN: ADMIN_TOKEN });
    const run = spawnSync('sh', ['-e', '-c', task], { env, encoding: 'utf8', timeout: 180_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('creates the router to Ralph once when Aspects is enabled, and does nothing without it', async (t) => {
    if (missing !== undefined) return skipOrFail(t, missing);
    service = await startService(dir.path, baseSettings(dir.path));
    const withoutAspects = runInit(renderPlugin(), service.url);
    assert.equal(withoutAspects.status, 0, withoutAspects.stderr);
    assert.match(withoutAspects.stdout, /no Ralph router to create/);
    assert.deepEqual((await call(service.url, 'GET', '/api/routers')).json.routers, []);

    const withAspects = renderPlugin(ASPECTS);
    const first = runInit(withAspects, service.url);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /created router \S+ to http:\/\/ralph:8100\/xAPI\//);
    assert.doesNotMatch(withAspects.init_task[1], /ralph-lms-password/, 'the password is in the job environment, not in the printed script');

    // A second init, after the Ralph password changed: still one router, with the new password.
    const changed = renderPlugin({ ...ASPECTS, RALPH_LMS_PASSWORD: 'rotated-password' });
    const second = runInit(changed, service.url);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /exists; credentials updated/);
    const routers = (await call(service.url, 'GET', '/api/routers')).json.routers as Array<Record<string, unknown>>;
    assert.equal(routers.length, 1);
    assert.equal(routers[0]!['routeUrl'], 'http://ralph:8100/xAPI/');
    assert.equal(routers[0]!['backend'], 'xapi');
    assert.equal(routers[0]!['authScheme'], 'basic');
    assert.equal(routers[0]!['username'], 'lms');
    assert.equal(routers[0]!['hasPassword'], true);

    // An external Ralph (RUN_RALPH off) over HTTPS.
    const external = renderPlugin({ ...ASPECTS, RUN_RALPH: false, RALPH_HOST: 'lrs.example.com', RALPH_RUN_HTTPS: true });
    const job = composeEnv(yamlMapping(external.files['patches/local-docker-compose-jobs-services']!)['event-router-job']);
    assert.equal(job['RALPH_XAPI_URL'], 'https://lrs.example.com/xAPI/');
    // And with the router turned off, nothing.
    const off = composeEnv(
      yamlMapping(renderPlugin({ ...ASPECTS, EVENT_ROUTER_RALPH_ROUTER: false }).files['patches/local-docker-compose-jobs-services']!)['event-router-job'],
    );
    assert.equal(off['RALPH_XAPI_URL'], undefined);
  });
});
