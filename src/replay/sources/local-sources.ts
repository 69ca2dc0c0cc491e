import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isGlob } from '../../sources/files/glob.js';
import { filesMatching, walk } from '../../sources/files/files-matching.js';
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
