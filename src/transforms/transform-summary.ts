/** Counts of one `transform` (or replay) run, printed to stderr at the end. */
export class TransformSummary {
  linesRead = 0;
  eventsTransformed = 0;
  recordsWritten = 0;
  readonly skipped = new Map<string, number>();
  readonly notes = new Map<string, number>();

  skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  note(kind: string): void {
    this.notes.set(kind, (this.notes.get(kind) ?? 0) + 1);
  }

  get skippedTotal(): number {
    let total = 0;
    for (const count of this.skipped.values()) total += count;
    return total;
  }

  render(unit: string): string {
    const lines = [
      `read ${this.linesRead} lines; transformed ${this.eventsTransformed} events into ${this.recordsWritten} ${unit}; skipped ${this.skippedTotal}`,
    ];
    for (const [reason, count] of [...this.skipped].sort()) lines.push(`  skipped ${reason}: ${count}`);
    for (const [kind, count] of [...this.notes].sort()) lines.push(`  note ${kind}: ${count}`);
    return lines.join('\n') + '\n';
  }
}
