import { TransformSummary } from '../transforms/transform-summary.js';
import { UNPARSABLE_REASONS } from './replay-skip-reason.js';

/** A place in the input, with what went wrong there. */
export interface Location {
  file: string;
  line: number;
  message: string;
}

/** Skip reasons of statements the destination refused. */
const REFUSED: ReadonlySet<string> = new Set(['destination_rejected', 'destination_conflict']);

/** Locations listed in the summary per kind; `--errors FILE` has all of them. */
const LISTED = 20;

/**
 * The counts of a replay, shown live by the progress reporter and printed at the end. Extends
 * the `transform` summary (lines read, events transformed, records produced, skipped by reason,
 * notes) with delivery and source outcomes: ERB's "Queued N, could not parse N, skipped N", made
 * complete.
 */
export class ReplaySummary extends TransformSummary {
  /** Records the destination accepted (stored, written, or already held). */
  recordsSent = 0;
  batchesSent = 0;
  /** Raw bytes read in this run (compressed for gzip). */
  bytesRead = 0;
  sourcesTotal = 0;
  sourcesCompleted = 0;
  sourcesResumed = 0;
  /** Sources a previous run finished: not read again. */
  sourcesAlreadyDone = 0;
  readonly unparsable: Location[] = [];
  readonly rejected: Location[] = [];
  readonly unreadable: Location[] = [];
  readonly startedAt = performance.now();

  /** Counts a skipped line, keeping the first few unparsable locations. */
  skipAt(reason: string, location: Location): void {
    this.skip(reason);
    if (UNPARSABLE_REASONS.has(reason) && this.unparsable.length < LISTED) this.unparsable.push(location);
    if (REFUSED.has(reason) && this.rejected.length < LISTED) this.rejected.push(location);
  }

  get unparsableTotal(): number {
    let total = 0;
    for (const reason of UNPARSABLE_REASONS) total += this.skipped.get(reason) ?? 0;
    return total;
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** The end-of-run report. `unit`: "statements" or "Caliper events". */
  report(unit: string, destination: string, delivers: boolean): string {
    const n = (value: number): string => value.toLocaleString('en-US');
    const seconds = this.elapsedSeconds;
    const sources = [`${n(this.sourcesCompleted)} of ${n(this.sourcesTotal)} sources completed`];
    if (this.sourcesResumed > 0) sources.push(`${n(this.sourcesResumed)} resumed from a checkpoint`);
    if (this.sourcesAlreadyDone > 0) sources.push(`${n(this.sourcesAlreadyDone)} already replayed`);
    if (this.unreadable.length > 0) sources.push(`${n(this.unreadable.length)} unreadable`);
    const lines = [
      `replay → ${destination}: ${sources.join(', ')}`,
      `read ${n(this.linesRead)} lines (${formatBytes(this.bytesRead)}) in ${seconds.toFixed(1)} s (${n(Math.round(this.linesRead / Math.max(seconds, 0.001)))} lines/s)`,
      `transformed ${n(this.eventsTransformed)} events into ${n(this.recordsWritten)} ${unit}; ` +
        (delivers ? `sent ${n(this.recordsSent)} in ${n(this.batchesSent)} batches` : `sent none (dry run)`),
      `skipped ${n(this.skippedTotal)} lines, of which ${n(this.unparsableTotal)} unparsable`,
    ];
    for (const [reason, count] of [...this.skipped].sort()) lines.push(`  skipped ${reason}: ${n(count)}`);
    for (const [kind, count] of [...this.notes].sort()) lines.push(`  note ${kind}: ${n(count)}`);
    list(lines, 'unparsable lines', this.unparsable, this.unparsableTotal);
    const refused = (this.skipped.get('destination_rejected') ?? 0) + (this.skipped.get('destination_conflict') ?? 0);
    list(lines, 'rejected by the destination', this.rejected, refused);
    list(lines, 'unreadable sources (the lines before were replayed)', this.unreadable, this.unreadable.length);
    return lines.join('\n') + '\n';
  }
}

function list(out: string[], title: string, locations: readonly Location[], total: number): void {
  if (locations.length === 0) return;
  out.push(locations.length < total ? `${title} (first ${locations.length} of ${total}; all in --errors FILE):` : `${title}:`);
  for (const at of locations) out.push(`  ${at.file}:${at.line}: ${at.message}`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
