/**
 * Debian's Chromium driven by playwright-core, as a new user's browser: headless, a fresh
 * profile in a temp dir each time, nothing reaching the network on its own.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['VALETKEY_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Where screenshots go (gitignored). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Browser tests skip, saying why, only where no Chromium is installed. */
export function browserAvailability(): { skip: boolean; reason: string } {
  return existsSync(CHROMIUM) ? { skip: false, reason: '' } : { skip: true, reason: `(skipped: no Chromium at ${CHROMIUM}; set VALETKEY_CHROMIUM)` };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export interface BrowserOptions {
  readonly permissions?: readonly string[];
  /** More Chromium switches, e.g. `--host-resolver-rules=MAP evil.test 127.0.0.1` to play DNS rebinding. */
  readonly extraArgs?: readonly string[];
}

export async function openBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'vk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: { width: 1280, height: 860 },
    ...(options.permissions ? { permissions: [...options.permissions] } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
