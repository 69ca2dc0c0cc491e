import { BlockList, isIP } from 'node:net';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where routers may send (docs/security.md, "Destinations"). Whoever holds the admin token can
 * point a router anywhere, and the service then sends learners' statements there with the
 * router's credentials: so a `file://` route stays inside one configured directory, and the
 * addresses that reach a cloud machine's own metadata (credentials of the instance) are refused.
 * Private and loopback addresses stay allowed: LRSs such as Ralph usually live on an internal
 * network, often beside the router.
 */
export interface DestinationPolicy {
  /** EVENT_ROUTER_FILE_ROUTES_DIR, absolute; undefined: no `file://` router. */
  readonly fileRoutesDir: string | undefined;
  /** EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS. */
  readonly allowLinkLocal: boolean;
  /**
   * Backends switched off, with the setting that does it: such a router is accepted (the
   * backend may be turned on later) but receives nothing, so saving one says so.
   */
  readonly backendsOff?: Partial<Record<'xapi' | 'caliper', string>>;
}

/** The defaults of the settings: no `file://` router, no link-local or metadata address. */
export const DEFAULT_DESTINATIONS: DestinationPolicy = { fileRoutesDir: undefined, allowLinkLocal: false };

export function destinationPolicyFrom(settings: {
  readonly EVENT_ROUTER_FILE_ROUTES_DIR?: string | undefined;
  readonly EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS: boolean;
  readonly XAPI_EVENTS_ENABLED?: boolean;
  readonly CALIPER_EVENTS_ENABLED?: boolean;
}): DestinationPolicy {
  const dir = settings.EVENT_ROUTER_FILE_ROUTES_DIR;
  const backendsOff: Partial<Record<'xapi' | 'caliper', string>> = {};
  if (settings.XAPI_EVENTS_ENABLED === false) backendsOff.xapi = 'XAPI_EVENTS_ENABLED';
  if (settings.CALIPER_EVENTS_ENABLED === false) backendsOff.caliper = 'CALIPER_EVENTS_ENABLED';
  return {
    fileRoutesDir: dir === undefined ? undefined : resolve(dir),
    allowLinkLocal: settings.EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS,
    backendsOff,
  };
}

/** Why a router of this backend receives nothing, or undefined when its backend is on. */
export function backendOffReason(policy: DestinationPolicy, backend: 'xapi' | 'caliper'): string | undefined {
  const setting = policy.backendsOff?.[backend];
  return setting === undefined
    ? undefined
    : `${setting} is false, so this ${backend === 'xapi' ? 'xAPI' : 'Caliper'} router receives nothing until it is set to true`;
}

/** Link-local ranges, and metadata endpoints outside them (AWS IPv6, Alibaba Cloud, Oracle Cloud). */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');
LINK_LOCAL.addAddress('100.100.100.200', 'ipv4');
LINK_LOCAL.addAddress('192.0.0.192', 'ipv4');

/** Names of metadata services (GCP, AWS, Tencent, a bare `metadata` search-domain name). */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

/**
 * True for a link-local or metadata address, in any of its forms: node's BlockList matches an
 * IPv4-mapped IPv6 address (`::ffff:169.254.169.254`, `::ffff:a9fe:a9fe`) against the IPv4 ranges.
 */
export function isLinkLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return LINK_LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why `url` is refused as a destination, or undefined when it may be used. */
export function refusedDestination(url: URL, policy: DestinationPolicy): string | undefined {
  if (url.protocol === 'file:') return refusedFileRoute(url, policy.fileRoutesDir);
  if (policy.allowLinkLocal) return undefined;
  // The WHATWG parser already turned 2852039166, 0xa9.254.169.254 and the like into dotted form.
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isLinkLocalAddress(host)) {
    return `${url.hostname} is a link-local or cloud metadata address; set EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS=true to allow it`;
  }
  if (METADATA_HOSTS.has(host)) {
    return `${url.hostname} is a cloud metadata service; set EVENT_ROUTER_ALLOW_LINK_LOCAL_DESTINATIONS=true to allow it`;
  }
  return undefined;
}

function refusedFileRoute(url: URL, root: string | undefined): string | undefined {
  if (root === undefined) return 'file:// routers are off: set EVENT_ROUTER_FILE_ROUTES_DIR to the directory they may write in';
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (error) {
    return `is not a local file path: ${(error as Error).message}`;
  }
  if (!isInside(root, path)) return `must name a file inside ${root} (EVENT_ROUTER_FILE_ROUTES_DIR)`;
  return undefined;
}

/** `path` is strictly below `root`, both absolute; `..` segments are resolved first. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, resolve(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The same rule at delivery time, for the HTTP transport (its `DestinationGuard`): a router saved
 * before the setting changed, and a host name whose DNS answer is a link-local address, are
 * refused when delivery connects. Undefined when link-local destinations are allowed.
 */
export function destinationGuard(policy: DestinationPolicy): { refused(url: URL): string | undefined; refusedAddress(address: string): boolean } | undefined {
  if (policy.allowLinkLocal) return undefined;
  return { refused: (url) => refusedDestination(url, policy), refusedAddress: isLinkLocalAddress };
}
