import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { securePrivateDir, type Tightened } from './private-files.js';
import { parseKey } from './secret-box.js';

/**
 * The data directory of the embedded default: the SQLite database, the encryption key file and
 * the admin token file. Secret files are created once, atomically (`wx`), with mode 0600.
 */
export const DATABASE_FILE = 'edx-event-router.db';
export const KEY_FILE = 'secret.key';
export const ADMIN_TOKEN_FILE = 'admin-token';

/** Creates the data directory 0700, or tightens it and its files (private-files.ts); says what it tightened. */
export function ensureDataDir(dataDir: string): Tightened {
  return securePrivateDir(dataDir);
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export interface SecretFile {
  readonly value: string;
  /** True when this call created the file (first run). */
  readonly created: boolean;
  readonly path: string;
}

/** Read a secret file, or create it with `generate()` if it does not exist yet. */
export function readOrCreateSecretFile(path: string, generate: () => string): SecretFile {
  try {
    const value = generate();
    writeFileSync(path, `${value}\n`, { flag: 'wx', mode: 0o600 });
    return { value, created: true, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Someone loosened the permissions (or copied the file): tighten them again.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return { value: readFileSync(path, 'utf8').trim(), created: false, path };
}

export interface EncryptionKey {
  readonly key: Buffer;
  readonly source: 'setting' | 'file';
  readonly created: boolean;
}

/** EVENT_ROUTER_SECRET_KEY when set, else `<dataDir>/secret.key` (created on first run). */
export function resolveEncryptionKey(dataDir: string, fromSettings: string | undefined): EncryptionKey {
  if (fromSettings !== undefined) return { key: parseKey(fromSettings), source: 'setting', created: false };
  const file = readOrCreateSecretFile(join(dataDir, KEY_FILE), () => randomBytes(32).toString('hex'));
  return { key: parseKey(file.value), source: 'file', created: file.created };
}

export interface AdminToken {
  readonly token: string;
  readonly source: 'setting' | 'file';
  /** True on first start: the token was just generated and should be shown once. */
  readonly created: boolean;
  readonly path: string | undefined;
}

/** EVENT_ROUTER_ADMIN_TOKEN when set, else `<dataDir>/admin-token` (generated on first start). */
export function resolveAdminToken(dataDir: string, fromSettings: string | undefined): AdminToken {
  if (fromSettings !== undefined) return { token: fromSettings, source: 'setting', created: false, path: undefined };
  const file = readOrCreateSecretFile(join(dataDir, ADMIN_TOKEN_FILE), () => randomBytes(32).toString('base64url'));
  return { token: file.value, source: 'file', created: file.created, path: file.path };
}
