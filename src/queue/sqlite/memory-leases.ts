/**
 * The leases of the process that owns the outbox file, kept in memory: a lease writes nothing
 * to the file, and a kill -9 forgets them with the process (its items are then leased again at
 * restart: at least once). Kept per router, so that a router's lease and `pending` queries are
 * given only that router's held seqs to leave out.
 */
export class MemoryLeases {
  private readonly byRouter = new Map<string, Map<number, number>>();
  /** Which router each leased seq belongs to, so a settle by id finds it. */
  private readonly routerIds = new Map<number, string>();

  /** The router's unexpired leases as a JSON array of seqs (for `json_each` in a query); expired ones are forgotten. */
  heldJson(routerId: string, now: number): string {
    const leases = this.byRouter.get(routerId);
    if (!leases) return '[]';
    let json = '';
    for (const [seq, until] of leases) {
      if (until > now) json += json === '' ? seq : `,${seq}`;
      else this.drop(seq);
    }
    return `[${json}]`;
  }

  /** Unexpired leases per router. */
  active(now: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [routerId, leases] of this.byRouter) {
      let n = 0;
      for (const until of leases.values()) if (until > now) n += 1;
      if (n > 0) counts.set(routerId, n);
    }
    return counts;
  }

  add(routerId: string, seq: number, until: number): void {
    let leases = this.byRouter.get(routerId);
    if (!leases) this.byRouter.set(routerId, (leases = new Map<number, number>()));
    leases.set(seq, until);
    this.routerIds.set(seq, routerId);
  }

  routerOf(seq: number): string | undefined {
    return this.routerIds.get(seq);
  }

  /** Keeps a lease until it is dropped (its settlement waits for disk space). */
  hold(seq: number): void {
    const routerId = this.routerIds.get(seq);
    if (routerId !== undefined) this.byRouter.get(routerId)?.set(seq, Number.POSITIVE_INFINITY);
  }

  drop(seq: number): void {
    const routerId = this.routerIds.get(seq);
    if (routerId === undefined) return;
    this.routerIds.delete(seq);
    const leases = this.byRouter.get(routerId);
    leases?.delete(seq);
    if (leases?.size === 0) this.byRouter.delete(routerId);
  }

  dropRouter(routerId: string): void {
    const leases = this.byRouter.get(routerId);
    if (!leases) return;
    for (const seq of leases.keys()) this.routerIds.delete(seq);
    this.byRouter.delete(routerId);
  }
}
