/**
 * The memory bound of `POST /events`: the bytes of request bodies held at once, counted as they
 * arrive (EVENT_ROUTER_INGEST_MAX_IN_FLIGHT × EVENT_ROUTER_INGEST_MAX_BODY_BYTES). Counting bytes
 * rather than requests is what keeps slow uploads from starving fast ones: a client that sends
 * one byte every few seconds holds a few bytes of the budget, not a whole request's share.
 */
export interface BodyBudget {
  /** The bound, bytes. */
  readonly limit: number;
  /** Bytes held now. */
  readonly used: number;
  /** Bytes held at most since the start (the `ingest_body_bytes_peak` gauge). */
  readonly peak: number;
  /** A holder for one request's bytes; give them all back with `release()` (idempotent). */
  open(): BodyTicket;
  /**
   * Epoch ms since which there has been no room for a body of `maxBodyBytes`, or undefined when
   * there is room now. Readiness fails once this lasts (ingest would refuse large bodies).
   */
  fullSince(): number | undefined;
}

export interface BodyTicket {
  /** Takes `bytes` more; false (and nothing taken) when the budget has no room for them. */
  take(bytes: number): boolean;
  /** Bytes this ticket holds. */
  readonly held: number;
  release(): void;
}

export function createBodyBudget(options: { limit: number; maxBodyBytes: number; now?: () => number }): BodyBudget {
  const now = options.now ?? Date.now;
  let used = 0;
  let peak = 0;
  let fullSince: number | undefined;
  const update = (): void => {
    const full = options.limit - used < options.maxBodyBytes;
    if (full && fullSince === undefined) fullSince = now();
    else if (!full) fullSince = undefined;
  };
  return {
    limit: options.limit,
    get used() {
      return used;
    },
    get peak() {
      return peak;
    },
    fullSince: () => fullSince,
    open() {
      let held = 0;
      let released = false;
      return {
        get held() {
          return held;
        },
        take(bytes) {
          if (released || used + bytes > options.limit) return false;
          used += bytes;
          held += bytes;
          if (used > peak) peak = used;
          update();
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= held;
          held = 0;
          update();
        },
      };
    },
  };
}
