/** A router named by its id or a unique prefix of it, as the CLI's commands accept it. */
export type RouterIdMatch<T> = { ok: true; router: T } | { ok: false; message: string };

/**
 * The one router whose id is `wanted`, or else the one whose id starts with it. No match, or
 * several, is an error that says which: an operator typing the first characters of an id from
 * `routers list` must never act on a router by accident, nor on none without being told.
 */
export function matchRouterId<T extends { id: string }>(routers: readonly T[], wanted: string): RouterIdMatch<T> {
  const exact = routers.find((router) => router.id === wanted);
  if (exact !== undefined) return { ok: true, router: exact };
  const matches = routers.filter((router) => router.id.startsWith(wanted));
  if (matches.length === 1) return { ok: true, router: matches[0] as T };
  if (matches.length > 1) return { ok: false, message: `"${wanted}" matches ${matches.length} routers; give more of the id` };
  return { ok: false, message: `no router with id ${wanted}` };
}
