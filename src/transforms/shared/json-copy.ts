/**
 * A deep copy of plain JSON-like data (objects, arrays, primitives; undefined members are kept).
 *
 * Transform outputs are built partly from values of the input event and are fixed up in place
 * afterwards (valid forms, pruning), so they must not share objects with the input or with each
 * other. `structuredClone` does that too, but it goes through the serialiser and costs several
 * microseconds per call, which shows in the per-event budget; plain data needs only this.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setMember(copy, key, cloneJson((value as Record<string, unknown>)[key]));
  return copy as T;
}

/**
 * `target[key] = value` as an own data member, also for a key named `__proto__` (JSON.parse
 * gives such keys as ordinary members; a plain assignment would set the prototype instead).
 */
export function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
