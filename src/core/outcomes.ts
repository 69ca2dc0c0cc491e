import type { NoteKind, SkipReason } from './drop-reason.js';

/** What a transform stage returns for one event: statements, or a reason for producing none. */
export type TransformOutcome<S> = { ok: true; statements: S[]; notes: NoteKind[] } | { ok: false; reason: SkipReason; message: string };

export function skip(reason: SkipReason, message: string): { ok: false; reason: SkipReason; message: string } {
  return { ok: false, reason, message };
}
