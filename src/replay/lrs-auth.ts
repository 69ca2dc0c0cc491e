import type { DeliveryAuth } from '../delivery/router-config.js';

/**
 * `--lrs-auth`: `basic:USER:PASSWORD` (the password may contain colons) or `bearer:TOKEN`.
 * Undefined when the text is neither.
 */
export function parseLrsAuth(text: string): DeliveryAuth | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'bearer') return rest === '' ? undefined : { scheme: 'bearer', token: rest };
  if (scheme === 'basic') {
    const split = rest.indexOf(':');
    if (split < 0) return undefined;
    return { scheme: 'basic', username: rest.slice(0, split), password: rest.slice(split + 1) };
  }
  return undefined;
}
