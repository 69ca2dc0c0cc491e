import type { Settings } from '../config/schema.js';
import type { DeliveryRouterSource } from './delivery-service.js';
import type { DeliveryAuth, DeliveryRouter } from './router-config.js';
import { compileConfigurations } from '../routers/configurations.js';
import type { StoredRouter } from '../routers/types.js';
import type { RouterStore } from '../storage/router-store.js';

/**
 * The router store as delivery's `DeliveryRouterSource`: every router, enabled or not, with the
 * batching settings applied. match_params are not delivery's concern (the pipeline matches the
 * original event before enqueueing; see `RouterStore.activeRouters`).
 */
export function createDeliveryRouterSource(store: RouterStore, settings: Settings): DeliveryRouterSource {
  return { list: async () => (await store.list()).flatMap((router) => toDeliveryRouter(router, settings) ?? []) };
}

/** undefined for a stored router that no longer compiles (it is left out, as in activeRouters). */
export function toDeliveryRouter(router: StoredRouter, settings: Settings): DeliveryRouter | undefined {
  const compiled = compileConfigurations(router.configurations, router.backend);
  if (!compiled.ok) return undefined;
  const { overrideArgs, headers } = compiled.compiled;
  return {
    id: router.id,
    backend: router.backend,
    url: router.routeUrl,
    enabled: router.enabled,
    auth: toDeliveryAuth(router),
    headers: { ...headers },
    batching: {
      enabled: settings.EVENT_ROUTING_BACKEND_BATCHING_ENABLED,
      size: settings.EVENT_ROUTING_BACKEND_BATCH_SIZE,
      intervalMs: settings.EVENT_ROUTING_BACKEND_BATCH_INTERVAL * 1000,
    },
    ...(overrideArgs !== undefined ? { overrideArgs: { ...overrideArgs } } : {}),
  };
}

function toDeliveryAuth(router: StoredRouter): DeliveryAuth {
  const { auth } = router;
  if (auth.scheme === 'basic') return { scheme: 'basic', username: auth.username, password: auth.password };
  if (auth.scheme === 'bearer') return { scheme: 'bearer', token: auth.token };
  return { scheme: 'none' };
}
