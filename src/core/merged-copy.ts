/**
 * `{ ...first, ...second }` for plain data: own enumerable members, later ones replacing earlier
 * ones in place. Node 20's engine (V8 11.3) takes a slow path for an object literal that goes on
 * after a spread, about 1 µs each (2 µs for two spreads), and these merges run per statement.
 * Object.assign is the fast native copy, but it would set the prototype for a member named
 * `__proto__` (JSON.parse makes such members), so that one case is copied member by member.
 */
export function mergedCopy<T extends object>(first: object, second: object | undefined): T {
  if (!Object.hasOwn(first, '__proto__') && (second === undefined || !Object.hasOwn(second, '__proto__'))) {
    return Object.assign({}, first, second) as T;
  }
  const copy: Record<string, unknown> = {};
  for (const source of [first, second]) {
    if (source === undefined) continue;
    for (const key of Object.keys(source)) {
      // An own data member even for `__proto__`, as a spread makes it.
      Object.defineProperty(copy, key, { value: (source as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return copy as T;
}
