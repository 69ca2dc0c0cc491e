export interface FailureThrottle {
  /** Ms to wait before the next try from this address, or 0. */
  blockedForMs(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

/**
 * Slows token and password guessing: after `maxFailures` failures from one client address within
 * `windowMs`, that address waits until the window ends. Bounded so a flood of addresses cannot
 * grow it without limit. The address is fastify's `request.ip`: the peer, or the forwarded
 * client address when the peer is one of EVENT_ROUTER_TRUSTED_PROXIES.
 */
export function createFailureThrottle(options: { maxFailures: number; windowMs: number; now: () => number }): FailureThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  const MAX_ADDRESSES = 10_000;
  const current = (address: string): { count: number; since: number } | undefined => {
    const entry = failures.get(address);
    if (entry !== undefined && options.now() - entry.since >= options.windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    blockedForMs(address) {
      const entry = current(address);
      if (entry === undefined || entry.count < options.maxFailures) return 0;
      return entry.since + options.windowMs - options.now();
    },
    failed(address) {
      const entry = current(address);
      if (entry !== undefined) entry.count += 1;
      else failures.set(address, { count: 1, since: options.now() });
      if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value as string);
    },
    succeeded(address) {
      failures.delete(address);
    },
  };
}
