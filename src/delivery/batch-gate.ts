import type { PendingSummary } from '../queue/port.js';
import type { BatchingConfig } from './router-config.js';

export type BatchDecision = { kind: 'send'; size: number } | { kind: 'wait'; untilMs: number } | { kind: 'idle' };

/**
 * Whether a batching router sends now: a full batch at once, a partial one when its oldest
 * statement has waited `intervalMs` (a timer, where ERB waits for the next event, §5.1), and
 * at once when flushing or when a statement is due again after a failure (it already waited).
 */
export function batchDecision(batching: BatchingConfig, pending: PendingSummary, nowMs: number, flushing: boolean): BatchDecision {
  if (pending.ready === 0) return { kind: 'idle' };
  const size = Math.max(1, Math.floor(batching.size));
  if (!batching.enabled || flushing || pending.retrying || pending.ready >= size) return { kind: 'send', size: batching.enabled ? size : 1 };
  const due = (pending.oldestReadyAt ?? nowMs) + Math.max(0, batching.intervalMs);
  return due <= nowMs ? { kind: 'send', size } : { kind: 'wait', untilMs: due };
}
