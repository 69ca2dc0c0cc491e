import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../../support/paths.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** test-output/admin-ui/ at the repository root (git-ignored). */
export const SCREENSHOT_DIR = join(repoRoot(), 'test-output', 'admin-ui');

/**
 * Why the browser tests cannot run, or undefined when they can. In CI (CI=true) a missing
 * browser is a failure, never a skip (architecture §15: no test passes by skipping).
 */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} not found: install Debian's chromium package (apt-get install -y chromium)`;
}

export interface BrowserSession {
  readonly page: Page;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory, removed on close. */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'edx-router-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext is how Playwright takes an explicit --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1360, height: 860 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
