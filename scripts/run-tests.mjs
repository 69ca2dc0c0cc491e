#!/usr/bin/env node
// Runs the compiled test files (dist-test/**/*.test.js, built by tsconfig.test.json) with node's
// built-in runner. Node 20's `--test` takes no globs, so the files are listed here.
//
//   node scripts/run-tests.mjs [--unit] [PATH-FRAGMENT...]
//
// --unit keeps the tests that start no service and no browser and reach none: the unit tests
// beside the code (src/), the golden tests and the conformance suites of the embedded adapters.
// Path fragments keep the files whose path contains one of them.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out;
}

/** Test folders whose files need no running service, and the services a file name may mention. */
const UNIT_FOLDERS = ['src', join('test', 'golden'), join('test', 'conformance')];
const SERVICE_NAMES = /\.(postgres|redis|kafka|mariadb|mysql|s3)\./;

function isUnit(distDir, file) {
  const path = relative(distDir, file);
  return UNIT_FOLDERS.some((folder) => path.startsWith(folder + sep)) && !SERVICE_NAMES.test(path);
}

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((arg) => arg !== '--unit');
const distDir = process.env.TEST_DIST_DIR ?? 'dist-test';
let files;
try {
  files = walk(distDir, []);
} catch {
  files = [];
}
files = files
  .filter((file) => !unitOnly || isUnit(distDir, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files found under ${distDir}/ (run npm run build:test first)`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
