import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder with package.json), from compiled or source test files. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    // Compiled into a scratch folder outside the tree: fall back to the working directory.
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** ERB's fixtures: `$ERB_FIXTURES_DIR`, else the copy in test/fixtures/erb (origin: test/fixtures/README.md). */
export function erbFixturesDir(): string {
  return process.env['ERB_FIXTURES_DIR'] ?? resolve(repoRoot(), 'test', 'fixtures', 'erb');
}
