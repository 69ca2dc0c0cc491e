import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { supportedEvents } from '../../../src/transforms/supported-events.js';
import { repoRoot } from '../../support/paths.js';
import { ADMIN_TOKEN, baseSettings, call, cleanEnv, startService } from '../service/support.js';
import { composeEnv, containerEnv, HERE, objectNames, PLUGIN_DIR, pyCompileError, PYTHON, pythonMissing, skipOrFail, yamlDocuments } from './support.js';

// Tutor itself, from its public source, on Debian's Python: the plugin installed with pip and
// enabled through its entry point, `tutor config save`, and the rendered environment checked. Tutor's source is
// $TUTOR_SOURCE (a folder holding tutor/) or the fetched snapshot of overhangio/tutor.

const MIRROR = '/work/.mirror/overhangio+tutor/repo';
const DEBIAN_MODULES = [
  'ensurepip',
  'pip',
  'setuptools',
  'wheel',
  'appdirs',
  'click',
  'jinja2',
  'kubernetes',
  'Cryptodome',
  'yaml',
  'typing_extensions',
  'packaging',
  'importlib_metadata',
  'importlib_resources',
  'mypy',
];

/** A folder holding Tutor's `tutor/` package, or why there is none. */
function tutorSource(scratchDir: string): { path: string } | { reason: string } {
  const given = process.env['TUTOR_SOURCE'];
  if (given !== undefined) {
    return existsSync(join(given, 'tutor', 'commands', 'cli.py')) ? { path: given } : { reason: `TUTOR_SOURCE=${given} holds no tutor/ package` };
  }
  if (!existsSync(MIRROR)) return { reason: `no Tutor source: set TUTOR_SOURCE or fetch overhangio/tutor to ${MIRROR}` };
  const path = join(scratchDir, 'tutor-src');
  mkdirSync(path);
  // Only tutor/: the snapshot lacks some large files elsewhere (docs images).
  const run = spawnSync('sh', ['-c', `git -C '${MIRROR}' archive HEAD tutor | tar -x -C '${path}'`], { encoding: 'utf8' });
  return run.status === 0 ? { path } : { reason: `cannot extract Tutor from ${MIRROR}: ${run.stderr.trim()}` };
}

describe('Tutor plugin: tutor config save with Tutor itself', () => {
  const scratchDir = mkdtempSync(join(tmpdir(), 'tutor-save-'));
  let unavailable: string | undefined;
  // CI installs Debian's packages but has no Tutor source (no network): a missing source skips.
  let sourceMissing = false;
  let tutor: (...args: string[]) => { status: number | null; stdout: string; stderr: string };
  let withEnv: (extra: Record<string, string>) => typeof tutor;
  const root = join(scratchDir, 'root');

  before(() => {
    unavailable = pythonMissing(DEBIAN_MODULES);
    if (unavailable !== undefined) return;
    const source = tutorSource(scratchDir);
    if ('reason' in source) {
      unavailable = source.reason;
      sourceMissing = true;
      return;
    }
    // The plugin installed by pip from a copy of deploy/tutor (pip builds in the source tree),
    // into a virtual environment over Debian's packages; Tutor itself from its source.
    const venv = join(scratchDir, 'venv');
    cpSync(PLUGIN_DIR, join(scratchDir, 'plugin'), { recursive: true });
    const install = spawnSync(
      'sh',
      [
        '-e',
        '-c',
        `${PYTHON} -m venv --system-site-packages '${venv}' && '${venv}/bin/pip' install --quiet --no-build-isolation --no-deps --no-index '${join(scratchDir, 'plugin')}'`,
      ],
      { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratchDir } },
    );
    if (install.status !== 0) {
      unavailable = `cannot pip install the plugin into a virtual environment: ${install.stderr.trim().split('\n').pop()}`;
      return;
    }
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: scratchDir,
      PYTHONPATH: source.path,
      PYTHONDONTWRITEBYTECODE: '1',
    };
    withEnv =
      (extra) =>
      (...args) => {
        const run = spawnSync(join(venv, 'bin', 'python'), [join(HERE, 'tutor_cli.py'), '--root', root, ...args], {
          env: { ...env, ...extra },
          encoding: 'utf8',
        });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
      };
    tutor = withEnv({});
  });
  after(() => rmSync(scratchDir, { recursive: true, force: true }));

  function ok(...args: string[]): string {
    const run = tutor(...args);
    assert.equal(run.status, 0, `tutor ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
  }
  /**
   * Runs a tutor command with a `docker` of the test's own first on the PATH, which records each
   * command line Tutor gives it (and answers `compose ls` with no projects); returns those.
   */
  function recordDocker(...args: string[]): string[][] {
    const bin = join(scratchDir, 'bin');
    const log = join(scratchDir, 'docker.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'docker'),
      `#!${process.execPath}\nconst args = process.argv.slice(2);\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');\nif (args.includes('ls')) process.stdout.write('[]\\n');\n`,
      { mode: 0o755 },
    );
    rmSync(log, { force: true });
    const run = withEnv({ PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` })(...args);
    assert.equal(run.status, 0, `tutor ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[])
      .filter((command) => !command.includes('ls'));
  }
  const envFile = (...path: string[]): string => readFileSync(join(root, 'env', ...path), 'utf8');

  it('enables the plugin from its entry point and renders the follow way', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    assert.match(ok('plugins', 'list'), /^event-router\s+installed\s+0\.1\.0$/m);
    ok('plugins', 'enable', 'event-router');
    ok('config', 'save');

    const config = readFileSync(join(root, 'config.yml'), 'utf8');
    for (const name of ['EVENT_ROUTER_ADMIN_TOKEN', 'EVENT_ROUTER_SECRET_KEY', 'EVENT_ROUTER_INGEST_TOKEN']) {
      assert.match(config, new RegExp(`^${name}: \\S{43,}$`, 'm'), `${name} generated and saved`);
    }
    const compose = yamlDocuments(envFile('local', 'docker-compose.yml'))[0]!;
    const service = compose['services']['event-router'];
    assert.equal(service.image, 'edx-event-router:0.1.0');
    assert.ok(service.volumes.includes('../../data/lms:/openedx-data/lms:ro'));
    assert.ok(compose['services']['permissions'].volumes.includes('../../data/event-router:/mounts/event-router'));
    const env = composeEnv(service);
    assert.equal(env['EVENT_ROUTER_INGEST_TOKEN'], /^EVENT_ROUTER_INGEST_TOKEN: (\S+)$/m.exec(config)![1]);
    assert.ok(env['EVENT_ROUTER_FOLLOW'] !== undefined && env['EVENT_ROUTER_BUS_URL'] === undefined);
    // Tutor's MySQL password, generated by Tutor, reaches the identity source.
    const password = /^OPENEDX_MYSQL_PASSWORD: (\S+)$/m.exec(config)![1]!;
    assert.equal(env['EVENT_ROUTER_LMS_DATABASE_URL'], `mysql://openedx:${password}@mysql:3306/openedx`);
    const jobs = yamlDocuments(envFile('local', 'docker-compose.jobs.yml'))[0]!;
    assert.deepEqual(jobs['services']['event-router-job'].depends_on, ['event-router']);
    assert.match(envFile('apps', 'permissions', 'setowners.sh'), /^setowner 1000 \/mounts\/event-router$/m);

    const lms = envFile('apps', 'openedx', 'settings', 'lms', 'production.py');
    assert.equal(pyCompileError(lms), undefined);
    assert.doesNotMatch(lms, /EVENT_BUS_TRACKING_LOGS/);
    assert.match(envFile('plugins', 'event-router', 'build', 'event-router', 'Dockerfile'), /^FROM scratch AS edx-event-router-src$/m);
  });

  it('renders Kubernetes manifests that parse, with the service objects', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    const names = (file: string): string[] => objectNames(yamlDocuments(envFile('k8s', file)));
    assert.ok(names('deployments.yml').includes('Deployment/event-router'));
    assert.ok(names('deployments.yml').includes('Deployment/lms'), 'Tutor core objects are still there');
    assert.ok(names('services.yml').includes('Service/event-router'));
    assert.ok(names('volumes.yml').includes('PersistentVolumeClaim/event-router'));
    assert.ok(names('jobs.yml').includes('Job/event-router-job'));
    const deployment = yamlDocuments(envFile('k8s', 'deployments.yml')).find((doc) => doc['metadata']['name'] === 'event-router')!;
    const compose = composeEnv(yamlDocuments(envFile('local', 'docker-compose.yml'))[0]!['services']['event-router']);
    assert.deepEqual(containerEnv(deployment['spec']['template']['spec']['containers'][0]), compose);
  });

  it('the bus way: the LMS settings publish exactly the transformed events, and still compile', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    ok('config', 'save', '--set', 'EVENT_ROUTER_SOURCE=bus');
    const lms = envFile('apps', 'openedx', 'settings', 'lms', 'production.py');
    const cms = envFile('apps', 'openedx', 'settings', 'cms', 'production.py');
    for (const text of [lms, cms]) {
      assert.equal(pyCompileError(text), undefined);
      assert.match(text, /^EVENT_TRACKING_BACKENDS\["event_router_bus"\] = \{\n {4}"ENGINE": "eventtracking\.backends\.event_bus\.EventBusRoutingBackend",$/m);
      assert.match(text, /^SEND_TRACKING_EVENT_EMITTED_SIGNAL = True$/m);
      assert.match(text, /"event_key_field": "tracking_log\.name"/);
      assert.match(text, /INSTALLED_APPS\.append\("openedx_events"\)/);
      const logs = /^EVENT_BUS_TRACKING_LOGS = (\[.*\])$/m.exec(text);
      assert.ok(logs !== null, 'EVENT_BUS_TRACKING_LOGS is set');
      const transformed = supportedEvents()
        .filter((row) => row.xapi || row.caliper)
        .map((row) => row.name);
      assert.deepEqual(JSON.parse(logs[1]!), transformed);
    }
    // Tutor's own producer settings stay: the stream is dev-analytics on Tutor's Redis.
    assert.match(lms, /^EVENT_BUS_PRODUCER = 'edx_event_bus_redis\.create_producer'$/m);
    assert.match(lms, /^EVENT_BUS_TOPIC_PREFIX = 'dev'$/m);
    const service = yamlDocuments(envFile('local', 'docker-compose.yml'))[0]!['services']['event-router'];
    assert.equal(composeEnv(service)['EVENT_ROUTER_BUS_URL'], 'redis://redis:6379/0?prefix=dev&group=edx_event_router');
    assert.ok(!service.volumes.some((volume: string) => volume.includes('/openedx-data/')));
    assert.equal(ok('config', 'printvalue', 'DOCKER_IMAGE_EVENT_ROUTER').trim(), 'edx-event-router:0.1.0');
  });

  it('lists the do commands', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    const help = ok('local', 'do', '--help');
    assert.match(help, /event-router-dead-letters/);
    assert.match(help, /event-router-replay/);
  });

  it('tutor images build passes a mounted clone as the sources of the image', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    // A clone is recognised by its folder name, edx-event-router.
    const clone = join(scratchDir, 'edx-event-router');
    symlinkSync(repoRoot(), clone);
    ok('mounts', 'add', clone);
    const commands = recordDocker('images', 'build', 'event-router');
    const context = join(root, 'env', 'plugins', 'event-router', 'build', 'event-router');
    assert.equal(commands.length, 1);
    assert.deepEqual(commands[0]!.slice(0, 3), ['buildx', 'build', '--tag=edx-event-router:0.1.0']);
    assert.ok(commands[0]!.includes(`--build-context=edx-event-router-src=${clone}`));
    assert.equal(commands[0]!.at(-1), context);
    assert.match(readFileSync(join(context, 'Dockerfile'), 'utf8'), /^COPY --from=edx-event-router-src src \.\/src$/m);
  });

  it('tutor local do init runs the init task in event-router-job; run against the service, it creates one router to Ralph', async (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    // Aspects' settings, as its plugin would save them.
    const aspects = [
      'RUN_RALPH=true',
      'RALPH_HOST=ralph',
      'RALPH_PORT=8100',
      'RALPH_RUN_HTTPS=false',
      'RALPH_LMS_USERNAME=lms',
      'RALPH_LMS_PASSWORD=ralph-secret',
    ];
    ok('config', 'save', ...aspects.flatMap((setting) => ['--set', setting]));
    const [init, ...others] = recordDocker('local', 'do', 'init', '--limit', 'event-router');
    assert.equal(others.length, 0);
    const run = init!.indexOf('run');
    assert.deepEqual(init!.slice(run, run + 4), ['run', '--rm', '-T', 'event-router-job']);
    assert.deepEqual(init!.slice(run + 4, run + 7), ['sh', '-e', '-c']);
    assert.ok(init!.includes(join(root, 'env', 'local', 'docker-compose.jobs.yml')));
    const task = init!.at(-1)!;
    assert.doesNotMatch(task, /ralph-secret/, 'Tutor prints the task: the password stays in the job environment');

    // The task, in the job's environment as rendered by Tutor, against a running service.
    const jobs = yamlDocuments(envFile('local', 'docker-compose.jobs.yml'))[0]!;
    const jobEnv = composeEnv(jobs['services']['event-router-job']);
    assert.equal(jobEnv['RALPH_XAPI_URL'], 'http://ralph:8100/xAPI/');
    const dataDir = join(scratchDir, 'service');
    mkdirSync(dataDir);
    const service = await startService(dataDir, baseSettings(dataDir));
    try {
      for (const expected of [/created router/, /exists; credentials updated/]) {
        const env = cleanEnv({ ...jobEnv, ADMIN_API_URL: service.url, EVENT_ROUTER_ADMIN_TOKEN: ADMIN_TOKEN });
        const result = spawnSync('sh', ['-e', '-c', task], { env, encoding: 'utf8', timeout: 180_000 });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, expected);
      }
      const routers = (await call(service.url, 'GET', '/api/routers')).json.routers as Array<Record<string, unknown>>;
      assert.deepEqual(
        routers.map((router) => [router['backend'], router['routeUrl'], router['authScheme'], router['username']]),
        [['xapi', 'http://ralph:8100/xAPI/', 'basic', 'lms']],
      );
    } finally {
      await service.stop();
    }
  });

  it('tutor local do runs replay and dead letters in event-router-job', (t) => {
    if (unavailable !== undefined) return sourceMissing ? t.skip(unavailable) : skipOrFail(t, unavailable);
    const tail = (command: string[]): string[] => command.slice(command.indexOf('run'));
    const [deadLetters] = recordDocker('local', 'do', 'event-router-dead-letters', 'retry', '--router', 'r 1');
    assert.deepEqual(tail(deadLetters!), ['run', '--rm', '-T', 'event-router-job', 'sh', '-e', '-c', "edx-event-router dead-letters retry --router 'r 1'"]);
    const [replay] = recordDocker('local', 'do', 'event-router-replay');
    assert.deepEqual(tail(replay!), [
      'run',
      '--rm',
      '-T',
      'event-router-job',
      'sh',
      '-e',
      '-c',
      'edx-event-router replay --routers --no-progress /openedx-data/lms/logs /openedx-data/cms/logs',
    ]);
  });
});
