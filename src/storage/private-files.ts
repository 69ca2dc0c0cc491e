import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data directory holds learners' events and statements, sealed secrets and the admin token:
 * only the service's user may read it. Files are created 0600 and the directory 0700; what an
 * older version (or an operator) left looser is tightened at start, and reported.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** SQLite writes these beside a database; they hold the same rows. */
const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Creates `path` empty with mode 0600 when it does not exist, and tightens it and its SQLite side
 * files when they do. Call before `new Database(path)`: SQLite gives the -wal and -shm files it
 * creates the mode of the database file, so they are private from their first byte.
 */
export function preparePrivateSqliteFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, ...SQLITE_SIDE_FILES.map((suffix) => `${path}${suffix}`)]) tightenFile(file);
}

/** chmod 0600 when group or others have any access; false when there was nothing to do. */
export function tightenFile(path: string): boolean {
  try {
    const stat = lstatSync(path);
    if (!stat.isFile() || (stat.mode & 0o077) === 0) return false;
    chmodSync(path, PRIVATE_FILE_MODE);
    return true;
  } catch {
    // Absent, or not ours to change (another owner, a read-only mount): nothing to tighten here.
    return false;
  }
}

/** What `securePrivateDir` had to tighten, for a warning. */
export interface Tightened {
  /** The directory's mode before, when it was looser than 0700. */
  readonly dirMode?: number;
  /** Files (names inside the directory) that were readable by group or others. */
  readonly files: readonly string[];
}

/**
 * Creates the directory 0700, or tightens an existing one (and the files directly in it) to
 * 0700/0600. Subdirectories are left alone: the directory's own mode already closes them.
 */
export function securePrivateDir(dir: string): Tightened {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = statSync(dir).mode & 0o777;
  let dirMode: number | undefined;
  if ((mode & 0o077) !== 0) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    dirMode = mode;
  }
  const files = readdirSync(dir).filter((name) => tightenFile(join(dir, name)));
  return { ...(dirMode !== undefined ? { dirMode } : {}), files };
}

/** One line for the log, or undefined when nothing was tightened. */
export function describeTightened(dir: string, tightened: Tightened): string | undefined {
  const parts: string[] = [];
  if (tightened.dirMode !== undefined) parts.push(`the directory was ${tightened.dirMode.toString(8).padStart(4, '0')}, now 0700`);
  if (tightened.files.length > 0) parts.push(`${tightened.files.join(', ')} were readable by others, now 0600`);
  return parts.length === 0 ? undefined : `data directory ${dir}: ${parts.join('; ')} (it holds learners' events and secrets)`;
}
