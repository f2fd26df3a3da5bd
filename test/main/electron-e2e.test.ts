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
import { AgentClient } from '../helpers/agent-client.js';
import { PASSPHRASE, runCli } from '../helpers/cli.js';

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

/**
 * The shell's own features on the real app: an agent's device request raises the always-on-top
 * prompt window at the renderer's prompt route, with the same locked-down page, and it closes
 * once the request is decided. (The tray itself has no API to inspect from a test; its menu and
 * badge are the plain functions in tray-menu.ts, tested without Electron.)
 */
describe.skipIf(typeof binary !== 'string')(`Electron shell: approval prompts${skipReason}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root });
    home = mkdtempSync(join(tmpdir(), 'vk-e2e-'));
    const init = await runCli(home, ['init', '--key-file'], { input: `${PASSPHRASE}\n` });
    expect(init.code, init.stderr).toBe(0);
    app = await _electron.launch({ executablePath: binary as string, args: [root], cwd: root, env: { ...process.env, VALETKEY_HOME: home } });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('opens an always-on-top, sandboxed prompt for a device request and closes it once decided', async () => {
    const endpoint = await page.evaluate(async (passphrase) => {
      const admin = window.valetkey?.admin;
      if (admin === undefined) throw new Error('no window.valetkey');
      // The bridge answers AdminResults: an error arrives as its structured {error, error_description}.
      const status = await admin.unlock({ passphrase });
      const vault = await admin.createVault({ vault: { name: 'E2E' } });
      if (!status.ok || !vault.ok) throw new Error(`unlock or createVault failed: ${JSON.stringify([status, vault])}`);
      return { url: status.value.agentEndpoint?.url ?? '', vaultId: vault.value.id };
    }, PASSPHRASE);
    const agent = await AgentClient.create({ via: 'tcp', port: Number(new URL(endpoint.url).port) });
    const asked = await agent.call('POST', '/v1/device_authorization', { form: { client_id: 'e2e-bot', scope: `vault:${endpoint.vaultId}:read`, reason: 'e2e prompt' } });
    expect(asked.status).toBe(200);

    const prompt = await waitForWindow(app, (url) => url.includes('#/prompt/device/'));
    const shape = await app.evaluate(({ BrowserWindow }) => {
      const window = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().includes('#/prompt/device/'));
      const prefs = (window?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null } | undefined)?.getLastWebPreferences();
      return { onTop: window?.isAlwaysOnTop(), sandbox: prefs?.['sandbox'], contextIsolation: prefs?.['contextIsolation'], nodeIntegration: prefs?.['nodeIntegration'] };
    });
    expect(shape).toEqual({ onTop: true, sandbox: true, contextIsolation: true, nodeIntegration: false });

    const requestId = decodeURIComponent(prompt.url().split('#/prompt/device/')[1] ?? '');
    await page.evaluate(async (id) => {
      const decided = await window.valetkey?.admin.decideDeviceRequest({ requestId: id, decision: 'deny' });
      if (decided?.ok !== true) throw new Error(`decideDeviceRequest failed: ${JSON.stringify(decided)}`);
    }, requestId);
    await expect.poll(() => app.windows().some((w) => !w.isClosed() && w.url().includes('#/prompt/device/')), { timeout: 10_000 }).toBe(false);
  });
});

async function waitForWindow(app: ElectronApplication, matches: (url: string) => boolean): Promise<Page> {
  for (let waited = 0; waited < 15_000; waited += 200) {
    const found = app.windows().find((w) => matches(w.url()));
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no window matched; open: ${app.windows().map((w) => w.url()).join(', ')}`);
}
