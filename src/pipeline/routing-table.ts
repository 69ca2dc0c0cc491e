import type { ActiveRouter } from '../routers/active-router.js';
import type { RouterStore, Watch } from '../storage/router-store.js';
import type { OutputFormat } from '../transforms/transform-event.js';

/**
 * The enabled routers of each backend, compiled, as the pipeline matches against them. Reloaded
 * whenever the store changes (at once for changes made through this process's store, within
 * `watchIntervalMs` for changes by another process or thread), and on `refresh()`.
 */
export interface RoutingTable {
  routers(backend: OutputFormat): readonly ActiveRouter[];
  /** The store version the current routers belong to. */
  readonly version: number;
  /** Reloads now (coalesced with a reload already running). */
  refresh(): Promise<void>;
  close(): void;
}

export interface RoutingTableOptions {
  /** How often another process's changes are looked for, ms. Default 1000. */
  watchIntervalMs?: number;
  /** A reload failed; the previous routers stay in use. */
  onError?: (error: unknown) => void;
  /** After each (re)load: the store version and the active routers. */
  onLoaded?: (version: number, routers: readonly ActiveRouter[]) => void;
  /** Routers left out because they no longer compile. */
  onInvalid?: (invalid: ReadonlyArray<{ id: string }>) => void;
}

export async function createRoutingTable(store: RouterStore, options: RoutingTableOptions = {}): Promise<RoutingTable> {
  let byBackend: Record<OutputFormat, readonly ActiveRouter[]> = { xapi: [], caliper: [] };
  let version = -1;
  let running: Promise<void> | null = null;
  let again = false;
  let watch: Watch | null = null;

  async function load(): Promise<void> {
    const snapshot = await store.activeRouters();
    byBackend = {
      xapi: snapshot.routers.filter((r) => r.backend === 'xapi'),
      caliper: snapshot.routers.filter((r) => r.backend === 'caliper'),
    };
    version = snapshot.version;
    options.onLoaded?.(version, snapshot.routers);
    if (snapshot.invalid.length > 0) options.onInvalid?.(snapshot.invalid);
  }

  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await load();
        } catch (error) {
          options.onError?.(error);
        }
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  await load();
  watch = store.watch(() => void refresh(), { intervalMs: options.watchIntervalMs ?? 1000 });
  return {
    routers: (backend) => byBackend[backend],
    get version() {
      return version;
    },
    refresh,
    close() {
      watch?.close();
      watch = null;
    },
  };
}
