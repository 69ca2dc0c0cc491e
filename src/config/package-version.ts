import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * This package's version, for the default transformer version. Found by walking up from this
 * module to our package.json, so it works from src/ and from any compiled output folder.
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'edx-event-router' && typeof parsed.version === 'string') {
        cached = parsed.version;
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      cached = '0.0.0';
      return cached;
    }
    dir = parent;
  }
}

/** `edx-event-router@<version>`: the transformer-version value unless overridden. */
export function defaultTransformerVersion(): string {
  return `edx-event-router@${packageVersion()}`;
}
