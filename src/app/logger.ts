import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED } from '../config/redact.js';
import type { Settings } from '../config/schema.js';

/**
 * Paths pino blanks out wherever they appear in a log record: credentials of routers (ours
 * and ERB's field names), auth headers, and the secret settings.
 */
export const REDACT_PATHS = [
  'password',
  'token',
  'auth_key',
  'authKey',
  'auth.password',
  'auth.token',
  '*.password',
  '*.token',
  '*.auth_key',
  '*.authKey',
  '*.auth.password',
  '*.auth.token',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'req.headers.authorization',
  'EVENT_ROUTER_ADMIN_TOKEN',
  'EVENT_ROUTER_SECRET_KEY',
  'settings.EVENT_ROUTER_ADMIN_TOKEN',
  'settings.EVENT_ROUTER_SECRET_KEY',
  'EVENT_ROUTER_LMS_DATABASE_URL',
  'EVENT_ROUTER_LMS_API_CLIENT_SECRET',
  'EVENT_ROUTER_INGEST_TOKEN',
  'EVENT_ROUTER_BUS_URL',
  'settings.EVENT_ROUTER_INGEST_TOKEN',
  'settings.EVENT_ROUTER_BUS_URL',
  'settings.EVENT_ROUTER_LMS_DATABASE_URL',
  'settings.EVENT_ROUTER_LMS_API_CLIENT_SECRET',
];

/** The service's root logger (JSON lines); components take child loggers with `{ component }`. */
export function createLogger(settings: Settings, destination?: DestinationStream): Logger {
  const options = {
    level: settings.EVENT_ROUTER_LOG_LEVEL,
    base: { service: 'edx-event-router' },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
