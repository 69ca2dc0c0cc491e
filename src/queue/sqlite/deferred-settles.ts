import { isDiskFullError } from '../../storage/disk-space.js';
import type { Settlement } from '../port.js';

/**
 * Settlements the outbox could not write because the disk was full. The LRS already has those
 * statements: forgetting the settle would send them again when the lease runs out, and again
 * after every restart. So they are kept, in order, and written as soon as there is room; their
 * items stay leased meanwhile, and their routers get no new batch (so a crash while the disk is
 * full repeats at most what was in flight when it filled).
 */
export class DeferredSettles {
  private pending: Settlement[] = [];
  private readonly routers = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Writes settlements in one transaction; throws as SQLite does. */
    private readonly write: (settlements: readonly Settlement[]) => void,
    /** Ends the leases of settlements once written. */
    private readonly written: (settlements: readonly Settlement[]) => void,
    /** The router of a leased item (undefined when not leased here). */
    private readonly routerOf: (seq: number) => string | undefined,
    /** Keeps an item leased until its settlement is written. */
    private readonly hold: (seq: number) => void,
    private readonly retryMs = 1000,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** True while the router has settlements waiting: it gets no new batch. */
  blocks(routerId: string): boolean {
    return this.routers.has(routerId);
  }

  /**
   * Writes `settlements` after the waiting ones. False when the disk is full: they wait too.
   * Any other error is thrown, as before.
   */
  settle(settlements: readonly Settlement[]): void {
    if (!this.flush()) {
      this.defer(settlements);
      return;
    }
    try {
      this.write(settlements);
    } catch (error) {
      if (!isDiskFullError(error)) throw error;
      this.defer(settlements);
      return;
    }
    this.written(settlements);
  }

  /** Writes the waiting settlements; true when none is left. */
  flush(): boolean {
    if (this.pending.length === 0) return true;
    const all = this.pending;
    try {
      this.write(all);
    } catch (error) {
      if (isDiskFullError(error)) return false;
      throw error;
    }
    this.pending = [];
    this.routers.clear();
    this.stopTimer();
    this.written(all);
    return true;
  }

  stop(): void {
    this.stopTimer();
  }

  private defer(settlements: readonly Settlement[]): void {
    for (const s of settlements) {
      const seq = Number(s.id);
      const routerId = this.routerOf(seq);
      if (routerId !== undefined) this.routers.add(routerId);
      this.hold(seq);
      this.pending.push(s);
    }
    if (this.timer === undefined) {
      this.timer = setInterval(() => {
        try {
          this.flush();
        } catch {
          // Not a full disk: the next settle or lease reports it.
        }
      }, this.retryMs);
      this.timer.unref();
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
