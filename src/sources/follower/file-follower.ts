import type { BigIntStats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InboxInput } from '../../queue/inbox/port.js';
import type { FollowObserver } from './observer.js';
import type { ReadPosition, ReadPositionStore } from './read-position.js';
import { splitChunk, type Chunk } from './split-chunk.js';

/** Where a path never read before starts: its current end (only what is written from now on) or its beginning. */
export type FollowStart = 'end' | 'beginning';

export interface FileFollowerOptions {
  /** Absolute path of the followed file. */
  readonly path: string;
  readonly store: ReadPositionStore;
  /** The position committed by an earlier run, if any. */
  readonly stored: ReadPosition | undefined;
  readonly start: FollowStart;
  readonly observer: FollowObserver;
  /** Events were committed: wake the pipeline. */
  readonly onStored: (count: number) => void;
  /** Pause when there is nothing new, ms. */
  readonly pollMs: number;
  /** Lines per inbox transaction at most (kept below the inbox bound, so a chunk always fits eventually). */
  readonly maxLinesPerCommit: number;
  /** Bytes read at once. Default 1 MiB. */
  readonly readBytes?: number;
  /** Longest line kept; a longer one is skipped and counted. Default 8 MiB. */
  readonly maxLineBytes?: number;
  /** Pause after a failure or while the inbox is full, ms. Default 1000. */
  readonly retryMs?: number;
}

/** The file being read: its handle, identity and the offset committed so far. */
interface Reader {
  handle: FileHandle;
  dev: string;
  ino: string;
  offset: number;
  /** Size seen at the last look, for the lag. */
  size: number;
}

type Step = 'progress' | 'idle' | 'blocked';

const NO_INPUTS: readonly InboxInput[] = [];

/**
 * Follows one path as `tail -F` does, committing each chunk of whole lines to the inbox together
 * with the position after it (so a crash re-reads at most the chunk in hand, which was not stored).
 *
 * Rotation, as logrotate does it:
 * - rename (or delete) and create: the old file is read to its end (its last line even without a
 *   newline, since nobody will finish it), then the new file from its beginning;
 * - copytruncate: the same file becomes shorter than the position, which goes back to 0;
 * - a path that does not exist yet, or no longer: waited for.
 * After a restart, a committed position whose file is no longer at the path is looked for in the
 * same folder under a rotated name (`tracking.log.1`, `tracking.log-20260101`) and finished first.
 */
export function createFileFollower(options: FileFollowerOptions): { run(signal: AbortSignal): Promise<void> } {
  const { path, store, observer } = options;
  const readBytes = options.readBytes ?? 1024 * 1024;
  const maxLineBytes = Math.max(readBytes, options.maxLineBytes ?? 8 * 1024 * 1024);
  const retryMs = options.retryMs ?? 1000;
  let buffer = Buffer.allocUnsafe(readBytes);
  let reader: Reader | undefined;
  let stored = options.stored;
  // A file that appears after the follower started is new: it is read from its beginning.
  let startAtEnd = stored === undefined && options.start === 'end';
  let paused = false;

  const positionOf = (r: Reader, offset: number): ReadPosition => ({ path, dev: r.dev, ino: r.ino, offset });

  async function openReader(at: string): Promise<{ handle: FileHandle; st: BigIntStats } | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(at, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      return { handle, st: await handle.stat({ bigint: true }) };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** The committed file under a rotated name in the same folder, opened; undefined when it is gone. */
  async function findRotated(position: ReadPosition): Promise<{ handle: FileHandle; name: string } | undefined> {
    const folder = dirname(path);
    const base = basename(path);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    for (const name of names) {
      if (name === base || !name.startsWith(base)) continue;
      const candidate = join(folder, name);
      const st = await stat(candidate, { bigint: true }).catch(() => undefined);
      if (st === undefined || String(st.dev) !== position.dev || String(st.ino) !== position.ino) continue;
      const opened = await openReader(candidate);
      if (opened === undefined) continue;
      // Renamed again between the two looks: the identity is what counts.
      if (sameFile(opened.st, position)) return { handle: opened.handle, name: candidate };
      await opened.handle.close();
    }
    return undefined;
  }

  /** Opens the file to read first; false while the path does not exist. */
  async function openFirst(): Promise<boolean> {
    const previous = stored;
    stored = undefined;
    const opened = await openReader(path);
    if (previous !== undefined) {
      if (opened !== undefined && sameFile(opened.st, previous)) {
        reader = toReader(opened.handle, opened.st, previous.offset);
        return true;
      }
      // Rotated while the service was down: finish the file read last, then the path's file.
      const rotated = await findRotated(previous);
      if (rotated !== undefined) {
        await opened?.handle.close();
        const st = await rotated.handle.stat({ bigint: true });
        reader = toReader(rotated.handle, st, previous.offset);
        observer.notice(path, `the file read last is now ${rotated.name}: reading it to its end first`);
        return true;
      }
      observer.notice(path, 'the file read last is gone (rotated away or deleted): lines written to it after the last commit are not read');
      startAtEnd = false;
    }
    if (opened === undefined) {
      startAtEnd = false;
      return false;
    }
    const offset = startAtEnd ? Number(opened.st.size) : 0;
    reader = toReader(opened.handle, opened.st, offset);
    startAtEnd = false;
    // Committed now, so that a restart before the first line starts here too (not at a later end).
    await store.append(NO_INPUTS, positionOf(reader, offset));
    return true;
  }

  async function readChunk(r: Reader, final: boolean): Promise<Chunk | undefined> {
    let want = readBytes;
    for (;;) {
      if (buffer.length < want) buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await r.handle.read(buffer, 0, want, r.offset);
      if (bytesRead === 0) return undefined;
      r.size = Math.max(r.size, r.offset + bytesRead);
      const data = buffer.subarray(0, bytesRead);
      const lastNewline = data.lastIndexOf(0x0a);
      if (lastNewline >= 0) return splitChunk(data, lastNewline + 1, r.offset, options.maxLinesPerCommit);
      // No newline: a line still being written (wait for it), or the unfinished last line of a file nobody writes any more.
      if (bytesRead < want) return final ? splitChunk(data, bytesRead, r.offset, options.maxLinesPerCommit) : undefined;
      if (want >= maxLineBytes) return skipLongLine(r, final);
      want = Math.min(want * 2, maxLineBytes);
    }
  }

  /** A line longer than maxLineBytes: its bytes are skipped up to its newline and it is counted. */
  async function skipLongLine(r: Reader, final: boolean): Promise<Chunk | undefined> {
    let at = r.offset + maxLineBytes;
    for (;;) {
      const { bytesRead } = await r.handle.read(buffer, 0, readBytes, at);
      if (bytesRead === 0) {
        return final ? { inputs: [], lines: 0, end: at, dropped: 1 } : undefined;
      }
      const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
      if (newline >= 0) return { inputs: [], lines: 0, end: at + newline + 1, dropped: 1 };
      at += bytesRead;
    }
  }

  async function commit(r: Reader, chunk: Chunk): Promise<Step> {
    const outcome = await store.append(chunk.inputs, positionOf(r, chunk.end));
    if (!outcome.ok) {
      if (!paused) observer.paused(path, true);
      paused = true;
      return 'blocked';
    }
    if (paused) observer.paused(path, false);
    paused = false;
    const bytes = chunk.end - r.offset;
    r.offset = chunk.end;
    observer.read(path, chunk.lines, bytes);
    if (chunk.dropped > 0) observer.dropped(path, 'line_too_long', chunk.dropped);
    observer.lag(path, Math.max(0, r.size - r.offset));
    if (outcome.added > 0) options.onStored(outcome.added);
    return 'progress';
  }

  async function step(): Promise<Step> {
    if (reader === undefined) {
      if (!(await openFirst())) {
        observer.lag(path, 0);
        return 'idle';
      }
      return 'progress';
    }
    const r = reader;
    const chunk = await readChunk(r, false);
    if (chunk !== undefined) return commit(r, chunk);

    const size = Number((await r.handle.stat()).size);
    r.size = size;
    if (size < r.offset) {
      // copytruncate: the same file, emptied (and perhaps written again since).
      await store.append(NO_INPUTS, positionOf(r, 0));
      r.offset = 0;
      observer.rotated(path, 'truncated');
      return 'progress';
    }
    const current = await stat(path, { bigint: true }).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (current === undefined || sameFile(current, r)) {
      observer.lag(path, Math.max(0, size - r.offset));
      return 'idle';
    }
    // Another file is at the path: finish this one (its unfinished last line too), then switch.
    const tail = await readChunk(r, true);
    if (tail !== undefined) return commit(r, tail);
    const opened = await openReader(path);
    if (opened === undefined) return 'idle';
    await r.handle.close().catch(() => undefined);
    const next = toReader(opened.handle, opened.st, 0);
    reader = next;
    await store.append(NO_INPUTS, positionOf(next, 0));
    observer.rotated(path, 'moved');
    return 'progress';
  }

  return {
    async run(signal) {
      try {
        while (!signal.aborted) {
          let next: Step;
          try {
            next = await step();
          } catch (error) {
            observer.failure(path, error);
            next = 'blocked';
          }
          if (next === 'progress') continue;
          await sleep(next === 'idle' ? options.pollMs : retryMs, undefined, { signal }).catch(() => undefined);
        }
      } finally {
        await reader?.handle.close().catch(() => undefined);
        reader = undefined;
      }
    },
  };
}

function toReader(handle: FileHandle, st: BigIntStats, offset: number): Reader {
  return { handle, dev: String(st.dev), ino: String(st.ino), offset, size: Number(st.size) };
}

function sameFile(st: BigIntStats, file: { dev: string; ino: string }): boolean {
  return String(st.dev) === file.dev && String(st.ino) === file.ino;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
