/** How the file at a followed path was replaced: renamed or deleted and created anew, or truncated in place (copytruncate). */
export type RotationKind = 'moved' | 'truncated';

/** Why the follower left a line out (counted; everything else goes to the inbox). */
export type FollowDropReason = 'line_too_long';

/**
 * What a file follower reports. Implementations feed metrics and logs and must not throw.
 * `path` is the followed path (the label of the follow metrics).
 */
export interface FollowObserver {
  /** Lines and bytes committed to the inbox (blank lines included in bytes, not in lines). */
  read(path: string, lines: number, bytes: number): void;
  /** Bytes in the file(s) of the path not yet committed. */
  lag(path: string, bytes: number): void;
  rotated(path: string, kind: RotationKind): void;
  dropped(path: string, reason: FollowDropReason, n: number): void;
  /** The inbox is at its bound: reading waits (`true`), or resumes (`false`). */
  paused(path: string, paused: boolean): void;
  /** A failure reading or storing; the follower tries again after a pause. */
  failure(path: string, error: unknown): void;
  /** Something an operator should know (the file read last is gone, …). */
  notice(path: string, message: string): void;
}

export const noopFollowObserver: FollowObserver = {
  read() {},
  lag() {},
  rotated() {},
  dropped() {},
  paused() {},
  failure() {},
  notice() {},
};
