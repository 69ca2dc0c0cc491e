import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { compileGlob, isGlob } from './glob.js';
import type { ListOutcome, ReplaySource } from './replay-source.js';

/** Read-ahead per file: large reads mean fewer, bigger chunks for the line splitter. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Files, directories (every file below, recursively) and glob patterns, in argument order; the
 * files of a directory or glob in path order (code-point order of the names, as `ls` in the C
 * locale), each file once. An argument that names nothing is an error before anything is sent.
 */
export async function listLocalSources(args: readonly string[]): Promise<ListOutcome> {
  const paths: string[] = [];
  for (const arg of args) {
    if (isGlob(arg)) {
      const found = await filesMatching(arg);
      if (found.length === 0) return { ok: false, message: `no files match ${arg}` };
      paths.push(...found);
      continue;
    }
    let info;
    try {
      info = await stat(arg);
    } catch (error) {
      return { ok: false, message: `cannot read ${arg}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    if (info.isDirectory()) paths.push(...(await walk(arg, true)));
    else paths.push(arg);
  }
  const seen = new Set<string>();
  const sources: ReplaySource[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    try {
      sources.push(await fileSource(path));
    } catch (error) {
      return { ok: false, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
  }
  return { ok: true, sources };
}

/** The files a glob matches now, in path order (also the file follower's globs). */
export async function filesMatching(pattern: string): Promise<string[]> {
  const { base, deep, matches } = compileGlob(pattern);
  return (await walk(base, deep)).filter((path) => matches(relative(base, path).split('\\').join('/')));
}

/** A file as a replay source; its identity changes when its size or mtime does. */
export async function fileSource(path: string): Promise<ReplaySource> {
  const info = await stat(path);
  return {
    name: path,
    identity: `${resolve(path)}|${info.size}|${Math.floor(info.mtimeMs)}`,
    size: info.size,
    open: async (offset) => createReadStream(path, { start: offset, highWaterMark: READ_CHUNK_BYTES }),
    // A local read error (ENOENT, EIO, EISDIR) does not pass by trying again.
    isTransient: () => false,
  };
}

/** Regular files under `dir` (following symlinks to files), sorted; `deep`: recursively. */
async function walk(dir: string, deep: boolean): Promise<string[]> {
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
