import type { DeliveryQueue, DiscardedItems } from './port.js';
import type { StoredRouter } from '../routers/types.js';
import type { RouterStore } from '../storage/router-store.js';

/**
 * Deleting a router, the same for the admin API, the admin page and the CLI (docs/routers.md,
 * "Deleting a router"). A router that still has queued statements or dead letters is only
 * deleted when the caller says so (`force`), and then its items go with it: they belong to no
 * other router, and left behind they would fill the outbox for ever. Disabling a router is the
 * way to stop delivery and keep them.
 */
export type RemoveRouterOutcome =
  | { ok: true; router: StoredRouter; discarded: DiscardedItems }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_empty'; router: StoredRouter; queued: number; deadLetters: number };

export interface RemoveRouterDeps {
  readonly routers: RouterStore;
  readonly queue: Pick<DeliveryQueue, 'stats' | 'discardRouter'>;
}

/** What the composition root hands to the admin API and page: removal plus counting and logging. */
export type RemoveRouter = (id: string, options: { force: boolean }) => Promise<RemoveRouterOutcome>;

export async function removeRouter(deps: RemoveRouterDeps, id: string, options: { force: boolean }): Promise<RemoveRouterOutcome> {
  const router = await deps.routers.get(id);
  if (router === undefined) return { ok: false, reason: 'not_found' };
  const held = await heldItems(deps.queue, id);
  if (!options.force && (held.queued > 0 || held.deadLetters > 0)) return { ok: false, reason: 'not_empty', router, ...held };
  if (!(await deps.routers.remove(id))) return { ok: false, reason: 'not_found' };
  // After the router is gone, so that nothing the pipeline enqueues meanwhile survives it for
  // long: what still arrives later (a stale routing table elsewhere) is swept (orphan-sweep.ts).
  const discarded = await deps.queue.discardRouter(id);
  return { ok: true, router, discarded };
}

/** Queued statements and dead letters of one router, as the outbox counts them now. */
export async function heldItems(queue: Pick<DeliveryQueue, 'stats'>, routerId: string): Promise<DiscardedItems> {
  const stats = (await queue.stats()).routers.find((r) => r.routerId === routerId);
  return { queued: stats?.depth ?? 0, deadLetters: stats?.deadLetters ?? 0 };
}

/** "12 queued statements and 1 dead letter" (what a refusal or a confirmation names). */
export function describeHeld(held: DiscardedItems): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return `${plural(held.queued, 'queued statement', 'queued statements')} and ${plural(held.deadLetters, 'dead letter', 'dead letters')}`;
}
