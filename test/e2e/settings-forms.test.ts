/**
 * The dashboard's smaller forms in Debian's Chromium against headless mode, each checked against
 * what the engine then holds (through the CLI): the agents' pause switch, an audit stream added
 * through its dialog, the recovery kit's export, and the admin passphrase change (last: the CLI
 * must then use the new passphrase).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, type Browser } from '../helpers/browser.js';
import { PASSPHRASE, runCli } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { NO_DBUS, type HeadlessDaemon } from './headless-daemon.js';
import { confirmIfAsked, openDashboard, UI_WAIT, unlockInBrowser } from './dashboard-page.js';

const chromium = browserAvailability();
const NEXT_PASSPHRASE = 'a new admin passphrase 7731';

describe.skipIf(chromium.skip)(`the settings forms in Chromium ${chromium.reason}`, () => {
  const home = tempHome('vk-forms-');
  let daemon: HeadlessDaemon;
  let b: Browser;
  let page: Page;
  const status = async () => {
    const r = await runCli(home.dir, ['status', '--json'], { env: NO_DBUS });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { agentsPaused: boolean };
  };

  beforeAll(async () => {
    ({ daemon, b, page } = await openDashboard(home.dir));
    await unlockInBrowser(page, daemon.loginUrl);
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await daemon?.stop();
    home.cleanup();
  });

  it('pauses every agent at once, and resuming asks for the passphrase', async () => {
    await page.getByTestId('nav-tokens').click();
    await page.getByTestId('agents-pause').click();
    await page.getByTestId('agents-paused-chip').waitFor(UI_WAIT);
    expect((await status()).agentsPaused).toBe(true);
    await page.getByTestId('agents-resume').click();
    await confirmIfAsked(page, () => page.getByTestId('agents-paused-chip').waitFor({ state: 'hidden', ...UI_WAIT }));
    expect((await status()).agentsPaused).toBe(false);
  });

  it('adds a syslog stream through its dialog, as the engine then lists it', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('sink-add').click();
    await page.getByTestId('sink-name').fill('SIEM');
    await page.getByTestId('sink-host').fill('127.0.0.1');
    await page.getByTestId('sink-port').fill('6514');
    await page.getByTestId('sink-save').click();
    await confirmIfAsked(page, () => page.locator('[data-testid="sink-row"][data-sink-name="SIEM"]').waitFor(UI_WAIT));
    const listed = await runCli(home.dir, ['audit', 'sinks', 'list', '--json'], { env: NO_DBUS });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'SIEM', kind: 'syslog' })]);
  });

  it('exports a recovery kit as a download', async () => {
    await page.getByTestId('kit-passphrase').fill('kit passphrase for the test 42');
    await page.getByTestId('kit-confirm').fill('kit passphrase for the test 42');
    const download = page.waitForEvent('download');
    await page.getByTestId('kit-export').click();
    await confirmIfAsked(page, () => download);
    expect((await download).suggestedFilename()).toBe('valetkey-recovery-kit.txt');
    await page.getByTestId('kit-done').waitFor(UI_WAIT);
  });

  it('changes the admin passphrase: the old one stops working, the new one works', async () => {
    await page.getByTestId('passphrase-current').fill(PASSPHRASE);
    await page.getByTestId('passphrase-next').fill(NEXT_PASSPHRASE);
    await page.getByTestId('passphrase-again').fill(NEXT_PASSPHRASE);
    await page.getByTestId('passphrase-change').click();
    await page.getByTestId('change-passphrase-form').getByRole('status').waitFor(UI_WAIT);
    const old = await runCli(home.dir, ['vault', 'create', 'Old'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
    expect(old.code).not.toBe(0);
    const next = await runCli(home.dir, ['vault', 'create', 'New'], { input: `${NEXT_PASSPHRASE}\n`, env: NO_DBUS });
    expect(next.code, next.stderr).toBe(0);
  });
});
