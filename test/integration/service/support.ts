import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../support/paths.js';

const ENTRY = fileURLToPath(new URL('./service-entry.js', import.meta.url));

export const ADMIN_TOKEN = 'service-test-admin-token-0001';

/** A scratch folder for one scenario, removed by `remove()`. */
export function scratch(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `svc-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Environment for a spawned CLI: PATH and HOME only, so stray settings cannot leak in. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Settings every scenario starts from: port 0, fast retries and batches, statement logs off. */
export function baseSettings(dataDir: string): Record<string, unknown> {
  return {
    EVENT_ROUTER_DATA_DIR: dataDir,
    EVENT_ROUTER_PORT: 0,
    EVENT_ROUTER_ADMIN_TOKEN: ADMIN_TOKEN,
    EVENT_ROUTER_LOG_LEVEL: 'warn',
    LMS_ROOT_URL: 'http://lms.example.com',
    EVENT_ROUTER_LOOKUPS_FILE: join(repoRoot(), 'samples', 'lookups.json'),
    EVENT_ROUTER_IDENTITY_SOURCES: ['lookups-file'],
    EVENT_ROUTER_MISSING_ID_POLICY: 'drop',
    EVENT_ROUTER_COURSE_NAME_SOURCES: ['lookups-file'],
    XAPI_EVENT_LOGGING_ENABLED: false,
    CALIPER_EVENT_LOGGING_ENABLED: false,
    EVENT_ROUTING_BACKEND_BATCHING_ENABLED: true,
    EVENT_ROUTING_BACKEND_BATCH_SIZE: 100,
    EVENT_ROUTING_BACKEND_BATCH_INTERVAL: 0.1,
    EVENT_ROUTING_BACKEND_COUNTDOWN: 0.5,
    EVENT_ROUTER_SQLITE_SYNCHRONOUS: 'normal',
  };
}

export interface RunningService {
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `edx-event-router <command> --config <file>` as a real child process and waits for its
 * "listening on" line. Settings go through a JSON settings file in `dir`.
 */
export function startService(
  dir: string,
  settings: Record<string, unknown>,
  options: { command?: 'serve' | 'consume'; args?: string[]; timeoutMs?: number; name?: string } = {},
): Promise<RunningService> {
  const config = join(dir, `${options.name ?? 'settings'}.json`);
  writeFileSync(config, JSON.stringify(settings, null, 2));
  const child = spawn(process.execPath, [ENTRY, options.command ?? 'serve', '--config', config, ...(options.args ?? [])], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    // Keep only the tail: statement logs can be large.
    stdout = (stdout + chunk.toString('utf8')).slice(-200_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start within ${options.timeoutMs ?? 60_000} ms:\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s)]+)/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stdout: () => stdout,
          stderr: () => stderr,
          exited,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
}

/** Runs the CLI once (e.g. `dead-letters list`) and collects its output. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** One HTTP request to the service; `token` null sends no Authorization. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; contentType?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** POSTs NDJSON lines to /events in chunks of `chunk` events; every answer must be 202. */
export async function postEvents(base: string, lines: readonly string[], chunk = 1000, token: string | null = null): Promise<void> {
  for (let i = 0; i < lines.length; i += chunk) {
    const answer = await call(base, 'POST', '/events', lines.slice(i, i + chunk).join('\n'), {
      token,
      contentType: 'application/x-ndjson',
    });
    if (answer.status !== 202) throw new Error(`POST /events answered ${answer.status}: ${answer.text}`);
  }
}

/** Adds a router through the admin API; returns its id. */
export async function addRouter(base: string, router: Record<string, unknown>): Promise<string> {
  const answer = await call(base, 'POST', '/api/routers', router);
  if (answer.status !== 201) throw new Error(`POST /api/routers answered ${answer.status}: ${answer.text}`);
  return answer.json.router.id as string;
}

/** The value of one Prometheus sample (sum over label sets matching `labels`), or 0. */
export async function metric(base: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await call(base, 'GET', '/metrics', undefined, { token: null })).text;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Polls until `predicate` holds; throws with `what` after `timeoutMs`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function readJsonLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** Waits until the pipeline routes with `active` enabled routers (the `routers` check of /readyz). */
export async function waitForRouters(base: string, active: number, timeoutMs = 15_000): Promise<void> {
  let last = '';
  await eventually(
    async () => {
      const answer = await call(base, 'GET', '/readyz', undefined, { token: null });
      const check = (answer.json?.checks as Array<{ name: string; detail?: string }> | undefined)?.find((c) => c.name === 'routers');
      last = check?.detail ?? answer.text;
      return check?.detail?.endsWith(`, ${active} active`) ?? false;
    },
    timeoutMs,
    () => `${active} active routers in the pipeline (last: ${last})`,
  );
}
