/**
 * Whether an event can be transformed now. `retryable`: a provider could not be asked (or the
 * `wait` policy holds the event); keep the event durably queued and try again after `retryAfterMs`.
 * Resolution never drops: unknown users and courses are `ready`, and the transformer decides.
 */
export type ResolveOutcome =
  { readonly ready: true } | { readonly ready: false; readonly retryable: true; readonly reason: string; readonly retryAfterMs: number };

export const READY: ResolveOutcome = Object.freeze({ ready: true });

export function retryLater(reason: string, retryAfterMs: number): ResolveOutcome {
  return { ready: false, retryable: true, reason, retryAfterMs };
}

/** The first non-ready outcome wins; reasons of several are joined. */
export function combineOutcomes(outcomes: readonly ResolveOutcome[]): ResolveOutcome {
  const waiting = outcomes.filter((o): o is Extract<ResolveOutcome, { ready: false }> => !o.ready);
  if (waiting.length === 0) return READY;
  const reason = [...new Set(waiting.map((o) => o.reason))].join('; ');
  return retryLater(reason, Math.max(...waiting.map((o) => o.retryAfterMs)));
}
