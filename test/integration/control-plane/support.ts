import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./cli-entry.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a spawned CLI: the parent's PATH and HOME only, so stray settings cannot leak in. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Run `edx-event-router <args>` in a child process (real CLI, real files). */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], {
      env: options.env ?? cleanEnv(),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Start `edx-event-router serve …` and wait for its "listening on" line. */
export function startServe(
  args: string[],
  env: Record<string, string>,
): Promise<{
  url: string;
  stderr: () => string;
  stdout: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not finish its start-up notes within 60 s:\n${stderr}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      // The start-up notes end with how to add a router (none yet) or manage them (some).
      if (match?.[1] !== undefined && /Add a router|manage routers:/.test(stderr)) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          stderr: () => stderr,
          stdout: () => stdout,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${stderr}`));
    });
  });
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'edx-router-cp-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The two router configurations of the issue, as ERB writes them. */
export const CALIPER_SAMPLE = {
  override_args: { sensor_id: 'sensor@example.com' },
  headers: { test: 'header' },
  match_params: { course_id: '^.*course-v.:edX\\+.*\\+2021.*$', name: ['^problem.*', 'video'] },
};
/** CALIPER_SAMPLE as the API and `routers list` show it: its header value is not on the shown list. */
export const CALIPER_SAMPLE_VIEW = { ...CALIPER_SAMPLE, headers: { test: '[redacted]' } };
export const XAPI_SAMPLE = {
  match_params: {
    enterprise_uuid: 'org_XYZ',
    name: ['edx.course.grade.passed.first_time', 'edx.course.enrollment.activated'],
  },
};
