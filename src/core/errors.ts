import type { SkipReason } from './drop-reason.js';

/**
 * Thrown inside a transformer when an event cannot yield a statement; the transform stage
 * catches it at its boundary and turns it into a `{ ok: false, reason }` outcome.
 *
 * Deliberately not an `Error`: skips are ordinary control flow on real event streams (anonymous
 * users, missing fields), and capturing a stack trace for each one costs more than the
 * transformation itself. Nothing outside the transform stage ever sees one.
 */
export class SkipEventError {
  readonly name = 'SkipEventError';
  constructor(
    readonly reason: SkipReason,
    readonly message: string,
  ) {}

  toString(): string {
    return `SkipEventError(${this.reason}): ${this.message}`;
  }
}
