import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../../support/paths.js';

const ENTRY = fileURLToPath(new URL('./cli-entry.js', import.meta.url));

/** The logger prefix of a raw tracking.log line. */
export const PREFIX = '2023-05-23 13:53:13,461 INFO 20 [tracking] [user None] [ip None] logger.py:41 - ';

export const LOOKUPS = join(repoRoot(), 'samples', 'lookups.json');

/** The bundled sample events, one JSON text each (81 events of every supported family). */
export function sampleEvents(): string[] {
  return readFileSync(join(repoRoot(), 'samples', 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/**
 * `count` tracking.log lines cycling through the samples; line i gets a distinct timestamp (year
 * 2000 + i / samples, and the sample's place as microseconds), so every line is its own event
 * with its own statement id: several samples share a learner and an instant, which ERB's id
 * recipe turns into one id for different statements (ralph.test.ts replays the samples as they
 * are for that).
 */
export function logLines(count: number, offset = 0): string[] {
  const samples = sampleEvents();
  const out: string[] = [];
  for (let i = offset; i < offset + count; i++) {
    const year = 2000 + Math.floor(i / samples.length);
    const micros = String(i % samples.length).padStart(6, '0');
    const line = (samples[i % samples.length] as string).replace(
      /"(timestamp|time)":"\d{4}(-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{6})?/g,
      (_m, key: string, rest: string) => `"${key}":"${year}${rest}.${micros}`,
    );
    out.push(PREFIX + line);
  }
  return out;
}

export interface Scratch {
  path: string;
  file(relative: string, content: string | Buffer): string;
  gz(relative: string, content: string): string;
  remove(): void;
}

export function scratch(name = 'replay-it'): Scratch {
  const root = mkdtempSync(join(tmpdir(), `${name}-`));
  const file = (relative: string, content: string | Buffer): string => {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  return {
    path: root,
    file,
    gz: (relative, content) => file(relative, gzipSync(content)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for the CLI: PATH, HOME and TMPDIR of ours, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts `edx-event-router <args>` (the real CLI, in a child process). */
export function startCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): {
  child: ChildProcess;
  done: Promise<CliResult>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [ENTRY, ...args], { env: options.env ?? cleanEnv(), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Parses NDJSON text. */
export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Number after `label` in the summary, e.g. `counted(stderr, /sent ([\d,]+)/)`. */
export function counted(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`no ${pattern} in:\n${text}`);
  return Number(match[1].replace(/,/g, ''));
}
