/**
 * Launches the real app with Playwright's Electron driver. Needs an Electron binary, which
 * machines installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 do not have: then the suite is skipped
 * and its name says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = electronBinary();
const skipReason = typeof binary === 'string' ? '' : ` (SKIPPED: no Electron binary: ${binary.missing})`;

describe.skipIf(typeof binary !== 'string')(`Electron app end to end${skipReason}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root });
    home = mkdtempSync(join(tmpdir(), 'vk-e2e-'));
    app = await _electron.launch({
      executablePath: binary as string,
      args: [root],
      cwd: root,
      env: { ...process.env, VALETKEY_HOME: home },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('shows the Valetkey window', async () => {
    expect(await page.title()).toBe('Valetkey');
  });

  it('runs the page isolated and sandboxed, with only window.valetkey exposed', async () => {
    const page_ = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys(window.valetkey ?? {}).sort(),
      status: typeof window.valetkey?.admin.status,
    }));
    expect(page_).toEqual({ require: 'undefined', process: 'undefined', bridge: ['admin', 'onEvent'], status: 'function' });
  });

  it('created the window with the secure preferences', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // getLastWebPreferences exists at run time but is missing from Electron's type declarations.
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as {
        getLastWebPreferences(): { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean } | null;
      };
      const p = contents.getLastWebPreferences();
      return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('refuses to navigate the window away from our pages', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
  });
});
