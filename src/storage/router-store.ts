import type { ActiveRouter } from '../routers/active-router.js';
import type { Backend, FieldError, RouterSpec, StoredRouter } from '../routers/types.js';

/**
 * Router storage, behind an interface that SQLite (embedded default) implements now and
 * PostgreSQL will later. Input is validated before it gets here (`resolveRouter`).
 */
export interface RouterStore {
  /** Every router, oldest first, secrets decrypted (in memory only). */
  list(): Promise<StoredRouter[]>;
  get(id: string): Promise<StoredRouter | undefined>;
  create(spec: RouterSpec): Promise<StoreOutcome>;
  /** Replace every field of router `id`. */
  update(id: string, spec: RouterSpec): Promise<StoreOutcome>;
  /** False when there was no such router. */
  remove(id: string): Promise<boolean>;
  /** Create or update by `routeUrl` (ERB's key field), all or nothing, in one transaction. */
  importRouters(specs: readonly RouterSpec[]): Promise<ImportResult>;

  /**
   * Change counter: grows with every committed change, from this process or another (the CLI
   * writes the same database). Delivery compares it to decide when to reload.
   */
  version(): Promise<number>;
  /** The enabled routers, compiled, with the version they belong to (read consistently). */
  activeRouters(backend?: Backend): Promise<ActiveRouterSnapshot>;
  /**
   * Calls `listener` after each change: at once for changes made through this store, and
   * within `intervalMs` (default 1000) for changes by other processes (polls `version()`).
   */
  watch(listener: (version: number) => void, options?: { intervalMs?: number }): Watch;
  close(): Promise<void>;
}

export type StoreOutcome = { ok: true; router: StoredRouter } | { ok: false; reason: 'not_found' | 'conflict'; message: string };

export interface ImportResult {
  readonly created: StoredRouter[];
  readonly updated: StoredRouter[];
}

export interface ActiveRouterSnapshot {
  readonly version: number;
  readonly routers: readonly ActiveRouter[];
  /** Stored routers that no longer compile (e.g. validation got stricter); they are left out. */
  readonly invalid: ReadonlyArray<{ id: string; errors: FieldError[] }>;
}

export interface Watch {
  close(): void;
}
