import type { BackendProcessor } from '../filters/backend-filter.js';
import type { Settings } from './schema.js';

/**
 * The processor chain of one backend: EVENT_ROUTER_BACKEND_PROCESSORS, then the ERB
 * allow-list setting when it is set. Pass the result to `createBackendFilter`.
 */
export function processorsFor(settings: Settings, backend: 'xapi' | 'caliper'): readonly BackendProcessor[] {
  const allowed = backend === 'xapi' ? settings.EVENT_TRACKING_BACKENDS_ALLOWED_XAPI_EVENTS : settings.EVENT_TRACKING_BACKENDS_ALLOWED_CALIPER_EVENTS;
  const configured = settings.EVENT_ROUTER_BACKEND_PROCESSORS[backend] as readonly BackendProcessor[];
  return allowed === undefined ? configured : [...configured, { engine: 'NameWhitelistProcessor', whitelist: allowed }];
}
