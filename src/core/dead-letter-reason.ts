/**
 * Why delivery gave up on an item. The values are the `reason` label of the dead-letter
 * metrics and the `reason` field of dead letters, so the list is closed (architecture §12).
 */
export const DEAD_LETTER_REASONS = [
  /** The LRS refused this statement on its own (after bisecting the batch): 400/403/404/413/… */
  'lrs_rejected',
  /** A retryable failure lasted longer than the retry budget (max age) of a non-critical item. */
  'retries_exhausted',
  /**
   * Another statement has this id: the LRS answered 409 for it alone (it holds a different
   * statement with the id), or a different statement with the same id was in the same batch.
   */
  'conflict',
] as const;

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export function isDeadLetterReason(value: string): value is DeadLetterReason {
  return (DEAD_LETTER_REASONS as readonly string[]).includes(value);
}
