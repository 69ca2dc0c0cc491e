import { isIP } from 'node:net';
import * as z from 'zod';
import { setting } from './setting-meta.js';

/**
 * Who may reach the service and how (docs/security.md): open ingest on a network address,
 * allowed origins and host names, trusted reverse proxies, and how long a request body may take.
 */
export const accessFields = {
  EVENT_ROUTER_INGEST_OPEN: setting(z.boolean().default(false), {
    kind: 'boolean',
    origin: 'ours',
    defaultText: 'false',
    description:
      '`POST /events` without EVENT_ROUTER_INGEST_TOKEN on an EVENT_ROUTER_HOST that is not a loopback address: without this setting the service refuses to start that way, since anyone who can reach the port could post events. Set it only when something in front (a firewall, a private network) already decides who can reach the port.',
  }),
  EVENT_ROUTER_ALLOWED_ORIGINS: setting(z.array(z.string().min(1)).default([]), {
    kind: 'list',
    origin: 'ours',
    defaultText: 'none: requests sent by web pages are refused',
    description:
      "Origins (`https://studio.example.com`) of web pages allowed to call `POST /events` and the admin API from a browser. A request carrying any other `Origin` header is refused with 403 (shippers, the LMS and curl send none); this stops a page on another site from posting events through a visitor's browser.",
  }),
  EVENT_ROUTER_ALLOWED_HOSTS: setting(z.array(z.string().min(1)).default([]), {
    kind: 'list',
    origin: 'ours',
    defaultText: 'none: any Host',
    description:
      "Host names the service answers to, as Django's ALLOWED_HOSTS: `router.example.com`, `.example.com` (the domain and its subdomains), `127.0.0.1`, `[::1]`; ports are ignored. A request for another `Host` is refused with 421 (a DNS-rebinding page arrives under its own name); `/healthz` and `/readyz` answer any host.",
  }),
  EVENT_ROUTER_TRUSTED_PROXIES: setting(z.array(z.string().refine(isAddressOrRange, 'must be an IP address or a CIDR range such as 10.0.0.0/8')).default([]), {
    kind: 'list',
    origin: 'ours',
    defaultText: "none: the client address is the peer's",
    description:
      "Addresses or CIDR ranges of reverse proxies (`10.0.0.0/8`, `127.0.0.1`) whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` are believed. The client address they give is the one token checks and the admin page's sign-in limit count failures by; without it every client behind a proxy shares the proxy's address.",
  }),
  EVENT_ROUTER_INGEST_BODY_TIMEOUT: setting(z.number().positive().max(3600).default(60), {
    kind: 'number',
    origin: 'ours',
    unit: 'seconds',
    defaultText: '60',
    description:
      'Time a `POST /events` body has to arrive in full, from the end of its headers; a slower one is answered 408 and its connection closed, so stalled uploads cannot hold memory.',
  }),
} as const;

/** `10.1.2.3`, `::1`, `10.0.0.0/8`, `fd00::/8`: what fastify's trustProxy (proxy-addr) takes. */
function isAddressOrRange(text: string): boolean {
  const [address = '', bits, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (version === 4 ? 32 : 128);
}
