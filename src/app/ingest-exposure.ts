import { isIP } from 'node:net';
import type { Settings } from '../config/schema.js';

/**
 * Open ingest (no EVENT_ROUTER_INGEST_TOKEN) is fine on loopback, where only this machine can
 * post; on any other address it would take events from whoever reaches the port. The service
 * then refuses to start unless EVENT_ROUTER_INGEST_OPEN says it is meant. Returns why, or undefined.
 */
export function openIngestProblem(settings: Settings): string | undefined {
  if (settings.EVENT_ROUTER_INGEST_TOKEN !== undefined || settings.EVENT_ROUTER_INGEST_OPEN) return undefined;
  const host = settings.EVENT_ROUTER_HOST;
  if (isLoopback(host)) return undefined;
  return (
    `EVENT_ROUTER_HOST is ${host}, not a loopback address, and EVENT_ROUTER_INGEST_TOKEN is not set: anyone who can reach the port could post events. ` +
    'Set EVENT_ROUTER_INGEST_TOKEN (and send it as "Authorization: Bearer <token>"), or EVENT_ROUTER_INGEST_OPEN=true if a firewall or a private network already decides who can reach it.'
  );
}

/** 127.0.0.0/8, ::1, their IPv4-mapped form, and `localhost`; host names other than localhost count as reachable. */
export function isLoopback(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  if (isIP(name) === 6) return /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(name);
  return false;
}
