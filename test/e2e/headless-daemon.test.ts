/**
 * `valetkey daemon --headless` and `valetkey dashboard-url` as real processes, and the printed
 * link opened in Chromium: the built React dashboard comes up behind it, once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, openBrowser, SCREENSHOTS } from '../helpers/browser.js';
import { PASSPHRASE, runCli, startDaemonProcess } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { ensureRendererBuilt, NO_DBUS, startHeadlessDaemon, type HeadlessDaemon } from './headless-daemon.js';

const chromium = browserAvailability();

describe('valetkey daemon --headless', () => {
  const home = tempHome('vk-hl-');
  let daemon: HeadlessDaemon | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    const init = await runCli(home.dir, ['init', '--key-file'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
    expect(init.code, init.stderr).toBe(0);
    daemon = await startHeadlessDaemon(home.dir);
  });
  afterAll(async () => {
    await daemon?.stop();
    home.cleanup();
  });

  it('prints one login URL with a 256-bit code, then the line that says what to do with it', () => {
    const out = daemon!.output();
    const code = new URL(daemon!.loginUrl).searchParams.get('code') ?? '';
    expect(Buffer.from(code, 'base64url')).toHaveLength(32);
    expect(out.match(/^Dashboard: /gm)).toHaveLength(1);
    expect(out).toContain('(headless mode: open this URL in a browser on this machine; it works once)');
    expect(out.indexOf('Dashboard: ')).toBeGreaterThan(out.indexOf('engine ready'));
  });

  it('`valetkey dashboard-url` asks the running engine for a fresh link to the same dashboard', async () => {
    const r = await runCli(home.dir, ['dashboard-url', '--json'], { env: NO_DBUS });
    expect(r.code, r.stderr).toBe(0);
    const fresh = JSON.parse(r.stdout) as { url: string; expiresAt: string };
    expect(new URL(fresh.url).origin).toBe(daemon!.origin);
    expect(fresh.url).not.toBe(daemon!.loginUrl);
    const minutes = (Date.parse(fresh.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
  });

  it.skipIf(chromium.skip)(`opens the built dashboard in Chromium, once ${chromium.reason}`, async () => {
    const b = await openBrowser();
    try {
      const res = await b.page.goto(daemon!.loginUrl);
      expect(res?.status()).toBe(200);
      expect(b.page.url()).toBe(`${daemon!.origin}/`);
      // The key file keeps the engine locked until a person unlocks: the React app shows its lock screen.
      await b.page.getByTestId('lock-screen').waitFor({ timeout: 15_000 });
      mkdirSync(SCREENSHOTS, { recursive: true });
      await b.page.screenshot({ path: join(SCREENSHOTS, 'headless-lock-screen.png'), fullPage: true });

      const other = await b.context.newPage();
      expect((await other.goto(daemon!.loginUrl))?.status()).toBe(403);
    } finally {
      await b.close();
    }
  });

  it('stops cleanly and the dashboard port closes with it', async () => {
    const port = Number(new URL(daemon!.origin).port);
    expect(await daemon!.stop()).toBe(0);
    daemon = undefined;
    const refused = await fetch(`http://127.0.0.1:${port}/`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });

  it('`valetkey dashboard-url` says what to do when the engine serves no dashboard', async () => {
    const plain = await startDaemonProcess(home.dir, NO_DBUS);
    try {
      const r = await runCli(home.dir, ['dashboard-url'], { env: NO_DBUS });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('[dashboard_unavailable]');
      expect(r.stderr).toContain('valetkey daemon --headless');
    } finally {
      expect(await plain.stop()).toBe(0);
    }
  });
});
