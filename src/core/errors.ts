import type { SkipReason } from './drop-reason.js';

/**
 * Thrown inside a transformer when an event cannot yield a statement; the transform stage
 * catches it at its boundary and turns it into a `{ ok: false, reason }` outcome.
 */
export class SkipEventError extends Error {
  constructor(
    readonly reason: SkipReason,
    message: string,
  ) {
    super(message);
    this.name = 'SkipEventError';
  }
}
