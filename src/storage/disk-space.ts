import { statfsSync } from 'node:fs';

/**
 * Free space of the data directory's file system, watched so that a full disk is a state the
 * service reports and leaves by itself, not a stream of failed writes: ingest answers 507 with
 * Retry-After while it lasts, /readyz says "disk" and why, and everything resumes once space is
 * back (docs/service.md, "A full disk").
 */
export interface DiskSpace {
  /** Why the data directory counts as full now, or undefined. */
  fullReason(): string | undefined;
  /** A write failed for lack of space (SQLite's SQLITE_FULL, ENOSPC): full until the next look finds room. */
  reportFull(error: unknown): void;
  stop(): void;
}

export interface DiskSpaceOptions {
  readonly dir: string;
  /** EVENT_ROUTER_DISK_MIN_FREE_BYTES: below this the directory counts as full. */
  readonly minFreeBytes: number;
  /** How often free space is looked at, ms. Default 1000. */
  readonly intervalMs?: number;
  /** Tests and platforms without statfs: the free bytes. */
  readonly freeBytes?: (dir: string) => number;
  readonly onChange?: (reason: string | undefined) => void;
}

/** SQLite's "database or disk is full" and the OS's "no space left on device", from either library. */
export function isDiskFullError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : typeof error === 'string' ? error : '';
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || /database or disk is full|no space left on device/i.test(message);
}

/**
 * Room a failed write waits for at least, whatever EVENT_ROUTER_DISK_MIN_FREE_BYTES says. Not
 * more: each SQLite file keeps its WAL at its size limit (sqlite-wal.ts), so most writes after a
 * recovery reuse room the service already holds, and a higher floor left a service on a small
 * disk waiting for space its own WAL files had reserved.
 */
const RESUME_FLOOR_BYTES = 2 * 1024 * 1024;

function statfsFree(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

export function watchDiskSpace(options: DiskSpaceOptions): DiskSpace {
  const freeBytes = options.freeBytes ?? statfsFree;
  // After a failed write, wait for clearly more room than the bound, so the state does not flap.
  const resumeBytes = Math.max(options.minFreeBytes * 2, RESUME_FLOOR_BYTES);
  let reason: string | undefined;
  let reported = false;

  const set = (next: string | undefined): void => {
    if (next === reason) return;
    const changed = (next === undefined) !== (reason === undefined);
    reason = next;
    if (changed) options.onChange?.(next);
  };

  const look = (): void => {
    let free: number;
    try {
      free = freeBytes(options.dir);
    } catch {
      return; // The file system cannot say: the write errors still tell.
    }
    const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    if (free < options.minFreeBytes) {
      set(`${mib(free)} free in ${options.dir}, below ${mib(options.minFreeBytes)} (EVENT_ROUTER_DISK_MIN_FREE_BYTES)`);
    } else if (reported && free < resumeBytes) {
      set(`a write failed for lack of space in ${options.dir}; ${mib(free)} free now, waiting for ${mib(resumeBytes)}`);
    } else {
      reported = false;
      set(undefined);
    }
  };

  look();
  const timer = setInterval(look, options.intervalMs ?? 1000);
  timer.unref();
  return {
    fullReason: () => reason,
    reportFull(error) {
      if (!isDiskFullError(error)) return;
      reported = true;
      set(`a write failed for lack of space in ${options.dir}`);
      look();
    },
    stop: () => clearInterval(timer),
  };
}

/** The `disk` check of /readyz. */
export function diskReadiness(disk: Pick<DiskSpace, 'fullReason'>): { name: string; ok: boolean; detail?: string } {
  const reason = disk.fullReason();
  return reason === undefined ? { name: 'disk', ok: true } : { name: 'disk', ok: false, detail: reason };
}
