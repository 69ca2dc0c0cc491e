import type { Settings } from '../config/schema.js';
import type { TransformFlags } from './transform-flags.js';

/** Where commander says a flag's value came from ('cli' when typed, 'default' otherwise). */
export type FlagSource = (flag: keyof TransformFlags) => string | undefined;

/**
 * `replay --routers` sends to the routers `serve` delivers to, so its statements must be the ones
 * `serve` would make: the transform settings come from the same settings (file, environment) as
 * the service's, and a flag typed on the command line still wins. Without this, a replay to the
 * production routers would silently build IRIs on the flag default `http://localhost:18000`.
 */
export function transformFlagsFromSettings<F extends TransformFlags>(flags: F, given: FlagSource, settings: Settings): F {
  const typed = (flag: keyof TransformFlags): boolean => given(flag) === 'cli';
  const merged: F = { ...flags };
  if (!typed('lmsUrl') && settings.LMS_ROOT_URL !== undefined) merged.lmsUrl = settings.LMS_ROOT_URL;
  if (!typed('transformerVersion') && settings.EVENT_ROUTER_TRANSFORMER_VERSION !== undefined) {
    merged.transformerVersion = settings.EVENT_ROUTER_TRANSFORMER_VERSION;
  }
  if (!typed('compat')) merged.compat = settings.EVENT_ROUTER_COMPAT;
  if (!typed('ifiType')) merged.ifiType = settings.XAPI_AGENT_IFI_TYPE;
  if (!typed('lookups') && settings.EVENT_ROUTER_LOOKUPS_FILE !== undefined) merged.lookups = settings.EVENT_ROUTER_LOOKUPS_FILE;
  if (!typed('plugin') && settings.EVENT_ROUTER_PLUGINS.length > 0) merged.plugin = [...settings.EVENT_ROUTER_PLUGINS];
  return merged;
}
