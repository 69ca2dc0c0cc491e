import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { compileGlob } from './glob.js';

/** The files a glob matches now, in path order (replay's inputs and the file follower's globs). */
export async function filesMatching(pattern: string): Promise<string[]> {
  const { base, deep, matches } = compileGlob(pattern);
  return (await walk(base, deep)).filter((path) => matches(relative(base, path).split('\\').join('/')));
}

/** Regular files under `dir` (following symlinks to files), sorted; `deep`: recursively. */
export async function walk(dir: string, deep: boolean): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = dir === '.' ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) {
      if (deep) out.push(...(await walk(path, true)));
    } else if (entry.isFile()) {
      out.push(path);
    } else if (entry.isSymbolicLink()) {
      // Symlinked directories are not followed (no loops); symlinked files are read.
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) out.push(path);
    }
  }
  return out;
}
