import { isDeepStrictEqual } from 'node:util';
import type { Backend } from './classify.js';

/**
 * What delivery needs to know about one router. The control plane maps its stored router
 * (ERB's RouterConfiguration) to this; the delivery service takes updates at runtime.
 */
export interface DeliveryRouter {
  /** Stable id; the outbox items of this router carry it. */
  id: string;
  backend: Backend;
  /**
   * xAPI: the LRS base URL (`…/xAPI/`), statements go to `<url>/statements`.
   * Caliper: the endpoint, used as is. Either: `file:///path.ndjson` appends JSON lines.
   */
  url: string;
  /** A disabled router keeps its items in the outbox and sends nothing. Default true. */
  enabled?: boolean;
  auth: DeliveryAuth;
  /** Extra request headers. Auth and protocol headers win over these. Default none. */
  headers?: Readonly<Record<string, string>>;
  batching: BatchingConfig;
  /**
   * Shallow-merged into the root of every xAPI statement, or of every Caliper envelope
   * (ERB override_args, §3.4). Default none.
   */
  overrideArgs?: Readonly<Record<string, unknown>>;
}

export interface DeliveryAuth {
  scheme: 'none' | 'basic' | 'bearer';
  username?: string;
  password?: string;
  token?: string;
}

export interface BatchingConfig {
  /** Off: every statement is sent on its own, as soon as it is in the outbox. */
  enabled: boolean;
  /** Statements per request when batching. ERB default 100. */
  size: number;
  /**
   * Longest time a statement waits for its batch to fill, ms. ERB default 60000. Unlike ERB,
   * which only checks on the next event, a timer sends the partial batch.
   */
  intervalMs: number;
}

/** Whether two configurations differ in anything delivery uses. */
export function sameRouter(a: DeliveryRouter, b: DeliveryRouter): boolean {
  return isDeepStrictEqual(a, b);
}

/** Whether a change needs new connections (destination or credentials). */
export function sameDestination(a: DeliveryRouter, b: DeliveryRouter): boolean {
  return a.url === b.url && isDeepStrictEqual(a.auth, b.auth) && isDeepStrictEqual(a.headers ?? {}, b.headers ?? {});
}

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}
