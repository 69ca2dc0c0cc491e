/**
 * Settings that earlier versions read and this one no longer does. A settings file or
 * environment that still names one keeps working: start-up warns with what to do instead,
 * rather than refusing the file as it does an unknown name (a typo).
 */
export const RETIRED_SETTINGS: Readonly<Record<string, string>> = {
  EVENT_ROUTER_RETRY_MAX_DELAY:
    'EVENT_ROUTER_RETRY_MAX_DELAY is no longer read: EVENT_ROUTING_BACKEND_COUNTDOWN is now the longest wait between two retries (docs/delivery.md)',
};

export function retiredSettingWarning(name: string): string | undefined {
  return Object.hasOwn(RETIRED_SETTINGS, name) ? RETIRED_SETTINGS[name] : undefined;
}
