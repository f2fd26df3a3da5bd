/** Shared steps of the dashboard tests in Chromium. */
import type { Page } from 'playwright-core';
import { openBrowser, type Browser, type BrowserOptions } from '../helpers/browser.js';
import { PASSPHRASE } from '../helpers/cli.js';
import { initTestDataDir } from '../helpers/engine-fixture.js';
import { ensureRendererBuilt, startHeadlessDaemon, type HeadlessDaemon } from './headless-daemon.js';

export const UI_WAIT = { timeout: 20_000 };

/**
 * Waits for `done`, what the page shows once the action just clicked has gone through, and answers
 * "Confirm it's you" on the way if the engine asks. The first grant of a browser tab asks; later
 * ones ride on the grant session the engine keeps for the tab, so most calls are never asked, and
 * waiting for the page's own answer instead of for a dialog that may not come costs no time.
 * `done` must not be met before the action's call has been answered (a dialog opened by the call's
 * success, a row it adds, a download it starts), or a prompt shown after it would be left open.
 */
export async function confirmIfAsked(page: Page, done: () => PromiseLike<unknown>): Promise<void> {
  const field = page.getByTestId('grant-passphrase');
  const finished = Promise.resolve(done()).then(() => 'done' as const);
  // The losing wait is left to run out on its own; neither may become an unhandled rejection.
  finished.catch(() => undefined);
  const asked = field.waitFor(UI_WAIT).then(
    () => 'asked' as const,
    () => 'not asked' as const,
  );
  if ((await Promise.race([finished, asked])) !== 'asked') {
    await finished;
    return;
  }
  await field.fill(PASSPHRASE);
  await page.getByTestId('grant-submit').click();
  await field.waitFor({ state: 'hidden', ...UI_WAIT });
  await finished;
}

/**
 * A key-file engine in headless mode and a Chromium for it, before any page is opened. The data
 * directory is set up as `valetkey init --key-file` does, with the key file at Argon2id INTERACTIVE
 * (test-only, engine-fixture.ts): init and unlock at MODERATE have their own test (headless-daemon.test.ts).
 */
export async function openDashboard(home: string, options: BrowserOptions = {}): Promise<{ readonly daemon: HeadlessDaemon; readonly b: Browser; readonly page: Page }> {
  ensureRendererBuilt();
  await initTestDataDir(home);
  const daemon = await startHeadlessDaemon(home);
  const b = await openBrowser(options);
  return { daemon, b, page: b.page };
}

/** The printed login link, then the lock screen. */
export async function unlockInBrowser(page: Page, loginUrl: string): Promise<void> {
  await page.goto(loginUrl);
  await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('nav-vaults').waitFor(UI_WAIT);
}
