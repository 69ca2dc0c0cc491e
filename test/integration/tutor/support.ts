import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { repoRoot } from '../../support/paths.js';

/** Debian's Python, not another one on the PATH: Tutor is run on Debian's packages. */
export const PYTHON = '/usr/bin/python3';
export const HERE = join(repoRoot(), 'test', 'integration', 'tutor');
export const PLUGIN_DIR = join(repoRoot(), 'deploy', 'tutor');

/** Skips the test with the reason, or fails it when CI=true (an integration test never passes silently). */
export function skipOrFail(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') assert.fail(`${reason} (CI=true: .ci/run installs it)`);
  t.skip(reason);
}

/** Why Debian's python3 cannot run these modules, or undefined when it can. */
export function pythonMissing(modules: readonly string[]): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`;
  // One process per module: pip and setuptools disagree about distutils within one.
  for (const module of modules) {
    const run = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (run.status !== 0) return `${PYTHON} cannot import ${module}: ${run.stderr.trim().split('\n').pop()}`;
  }
  return undefined;
}

/** What render_plugin.py prints. */
export interface RenderedPlugin {
  config: Record<string, unknown>;
  files: Record<string, string>;
  init_task: [string, string];
  do: Record<string, Array<[string, string]>>;
  images: { build: Array<[string, string[], string]>; pull: Array<[string, string]>; push: Array<[string, string]> };
  version: string;
}

/** Renders every template of the plugin with Jinja2 over Tutor's defaults and `overrides`. */
export function renderPlugin(overrides: Record<string, unknown> = {}): RenderedPlugin {
  const args = [join(HERE, 'render_plugin.py'), PLUGIN_DIR, join(HERE, 'tutor-core-config.yml')];
  for (const [key, value] of Object.entries(overrides)) args.push(`${key}=${JSON.stringify(value)}`);
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1' };
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `render_plugin.py failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as RenderedPlugin;
}

/** `python3 -m py_compile` of a settings text; returns the compiler's complaint, or undefined. */
export function pyCompileError(text: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tutor-py-'));
  try {
    const file = join(dir, 'settings.py');
    writeFileSync(file, text);
    const run = spawnSync(PYTHON, ['-m', 'py_compile', file], { encoding: 'utf8' });
    return run.status === 0 ? undefined : run.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a Django settings fragment in Python over the names the LMS settings define before it,
 * and returns the settings it leaves (JSON-able values only).
 */
export function runSettings(text: string, before: Record<string, unknown>): Record<string, unknown> {
  const program = [
    'import json, sys',
    'namespace = json.loads(sys.argv[1])',
    'exec(compile(sys.stdin.read(), "settings", "exec"), namespace)',
    'print(json.dumps({k: v for k, v in namespace.items() if k.isupper()}))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', program, JSON.stringify(before)], { input: text, encoding: 'utf8' });
  assert.equal(run.status, 0, `settings failed to run:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** Every YAML document of a text (multi-document k8s manifests), failing on a parse error. */
export function yamlDocuments(text: string): Array<Record<string, any>> {
  const docs = parseAllDocuments(text);
  const out: Array<Record<string, any>> = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    assert.deepEqual(doc.errors, [], `YAML errors: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as Record<string, any> | null;
    if (value !== null) out.push(value);
  }
  return out;
}

export function yamlMapping(text: string): Record<string, any> {
  return parseYaml(text) as Record<string, any>;
}

/** The `kind/name` of every object of a list of manifests. */
export function objectNames(docs: ReadonlyArray<Record<string, any>>): string[] {
  return docs.map((doc) => `${doc['kind']}/${doc['metadata']?.['name']}`);
}

/** A compose `environment:` mapping as the container sees it (`$$` is compose's escaped `$`). */
export function composeEnv(service: Record<string, any>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(service['environment'] as Record<string, unknown>)) {
    assert.equal(typeof value, 'string', `${name} must be a string in the compose file`);
    env[name] = (value as string).replaceAll('$$', '$');
  }
  return env;
}

/** A k8s container's `env:` list as a mapping. */
export function containerEnv(container: Record<string, any>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container['env'] as Array<{ name: string; value: unknown }>) {
    assert.equal(typeof entry.value, 'string', `${entry.name} must be a string in the manifest`);
    env[entry.name] = entry.value as string;
  }
  return env;
}
