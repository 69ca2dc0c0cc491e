import type { OpenInboxOptions } from '../queue/inbox/open-inbox.js';
import type { Settings } from './schema.js';

/** The inbox options the settings give; one place, so that every thread opens the same inbox. */
export function inboxOptionsFrom(settings: Settings, sqlitePath: string): OpenInboxOptions {
  return {
    databaseUrl: settings.DATABASE_URL,
    sqlitePath,
    maxDepth: settings.EVENT_ROUTER_INBOX_MAX_DEPTH,
    synchronous: settings.EVENT_ROUTER_SQLITE_SYNCHRONOUS,
    leaseMs: Math.round(settings.EVENT_ROUTER_INBOX_LEASE * 1000),
  };
}
