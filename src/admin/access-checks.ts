import type { FastifyInstance } from 'fastify';

/**
 * Checks of where a request says it comes from and whom it says it is for, set by
 * EVENT_ROUTER_ALLOWED_ORIGINS and EVENT_ROUTER_ALLOWED_HOSTS (docs/security.md).
 */

/**
 * `Origin` is sent by browsers (never by shippers, curl or the LMS): a request that carries one
 * was made by a web page. A page on another site may POST `text/plain` to any address without a
 * CORS preflight, so such a request is refused unless its origin is listed. Entries are origins
 * (`https://studio.example.com`); the literal `null` allows sandboxed pages (rarely wanted).
 */
export function createOriginCheck(allowed: readonly string[]): (origin: string | string[] | undefined) => boolean {
  const origins = new Set(allowed.map(normaliseOrigin));
  return (origin) => {
    if (origin === undefined) return true;
    if (Array.isArray(origin)) return false;
    return origins.has(normaliseOrigin(origin));
  };
}

function normaliseOrigin(text: string): string {
  const trimmed = text.trim();
  if (trimmed === 'null') return 'null';
  try {
    return new URL(trimmed).origin;
  } catch {
    return trimmed.toLowerCase();
  }
}

/** Paths a host allow-list does not apply to: probes address the service by whatever name or address they have. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/**
 * With a host allow-list (EVENT_ROUTER_ALLOWED_HOSTS), a request whose `Host` (or, from a trusted
 * proxy, `X-Forwarded-Host`) is not listed is answered 421 before anything else runs: a DNS
 * rebinding page reaches the service under the attacker's host name, which is not on the list.
 * Entries follow Django's ALLOWED_HOSTS: `lrs.example.com` exactly, `.example.com` for the domain
 * and its subdomains; the port is ignored. An empty list allows every host.
 */
export function registerHostGuard(server: FastifyInstance, allowed: readonly string[], onRefused: (host: string) => void): void {
  if (allowed.length === 0) return;
  const matches = createHostCheck(allowed);
  server.addHook('onRequest', async (request, reply) => {
    if (PROBE_PATHS.has(request.url.split('?')[0] ?? '')) return;
    if (matches(request.host)) return;
    onRefused(request.host);
    return reply.code(421).header('connection', 'close').send({
      error: 'host_not_allowed',
      message: 'this host name is not in EVENT_ROUTER_ALLOWED_HOSTS',
    });
  });
}

export function createHostCheck(allowed: readonly string[]): (host: string | undefined) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowed.map((e) => e.trim().toLowerCase())) {
    if (entry.startsWith('.')) suffixes.push(entry);
    else exact.add(entry);
  }
  return (host) => {
    if (host === undefined) return false;
    const name = hostName(host.toLowerCase());
    if (exact.has(name) || exact.has('*')) return true;
    return suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix));
  };
}

/** The host without its port: `[::1]:8080` → `[::1]`, `example.com:8080` → `example.com`. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
