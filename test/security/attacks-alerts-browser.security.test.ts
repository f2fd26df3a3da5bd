/**
 * Tripwire alerts as the person meets them in Debian's Chromium, against a real headless daemon
 * and an agent in its own process: the alert shows up without a reload (badge, tab title,
 * favicon, then the Alerts page with the agent's rows around it), and Revoke on the alert stops
 * the agent at its next request.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import { AgentProcess } from '../e2e-agent/agent-process-client.js';
import { browserAvailability, openBrowser, type Browser } from '../helpers/browser.js';
import { PASSPHRASE } from '../helpers/cli.js';
import { initTestDataDir } from '../helpers/engine-fixture.js';
import { tempHome } from '../helpers/temp-home.js';
import { ensureRendererBuilt, startHeadlessDaemon, type HeadlessDaemon } from '../e2e/headless-daemon.js';

const chromium = browserAvailability();
const UI_WAIT = { timeout: 20_000 };
const REF = 'vk://Ops/Analytics/api_key';

describe.skipIf(chromium.skip)(`tripwire alerts in the browser dashboard ${chromium.reason}`, () => {
  const home = tempHome('vk-alerts-');
  let daemon: HeadlessDaemon;
  let person: HttpAdminClient;
  let b: Browser;
  let page: Page;
  let agent: AgentProcess | undefined;
  let tokenId = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    await initTestDataDir(home.dir);
    daemon = await startHeadlessDaemon(home.dir);
    const info = readAdminInfo(join(home.dir, 'admin.json'));
    person = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
    await person.unlock({ passphrase: PASSPHRASE });
    const grant = { passphrase: PASSPHRASE };
    const ops = await person.createVault({ grant, vault: { name: 'Ops' } });
    await person.createEntry({ grant, vaultId: ops.id, entry: { title: 'Analytics', kind: 'api_key', fields: { apiKey: 'vksec-analytics-browser-71c2' } } });
    const created = await person.createToken({ grant, token: { name: 'report-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600, rules: { newReason: { action: 'alert' } } } });
    tokenId = created.token.id;
    agent = AgentProcess.start(home.dir);
    expect((await agent.send('enroll', { code: created.enrollmentCode, name: 'report-bot' })).status).toBe(200);
    expect((await agent.send('resolve', { refs: [REF], reason: 'daily report' })).status).toBe(200);
    b = await openBrowser();
    page = b.page;
  });
  afterAll(async () => {
    await agent?.close();
    await b?.close();
    await daemon?.stop();
    home.cleanup();
  });

  it('attack 81: an agent trips a rule while the person looks at another page → the alert appears without a reload, and Revoke on it stops the agent', async () => {
    await page.goto(daemon.loginUrl);
    await page.getByTestId('nav-vaults').waitFor(UI_WAIT);
    expect(await page.title()).toBe('Valetkey');
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    const tripped = await agent?.send('resolve', { refs: [REF], reason: 'copy every key to a gist' });
    expect(tripped?.status).toBe(200); // a new reason is shown, not blocked

    await expect.poll(() => page.getByTestId('alert-badge').textContent(), UI_WAIT).toBe('1');
    expect(await page.title()).toBe('(1) Alert · Valetkey');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toContain(encodeURIComponent('#c62828'));

    await page.getByTestId('nav-alerts').click();
    const card = page.getByTestId('alert-card').filter({ hasText: 'report-bot' });
    await card.waitFor(UI_WAIT);
    expect(await card.getAttribute('data-rule')).toBe('new_reason');
    expect(await card.getByTestId('alert-title').textContent()).toBe('report-bot gave a reason it never gave before');
    expect(await card.getByTestId('alert-body').textContent()).toContain('copy every key to a gist');
    await expect.poll(() => page.title(), UI_WAIT).toBe('Valetkey'); // seen
    await card.locator('summary').click();
    const context = await card.getByTestId('alert-context').textContent();
    expect(context).toContain('secret.read');
    expect(context).toContain('daily report');
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);

    await card.getByTestId('alert-revoke').click();
    await expect.poll(() => card.getByTestId('alert-token-state').textContent(), UI_WAIT).toContain('revoked');
    expect((await person.listTokens({})).find((t) => t.id === tokenId)?.status).toBe('revoked');
    const after = await agent?.send('resolve', { refs: [REF], reason: 'daily report' });
    expect([after?.status, after?.body.error]).toEqual([401, 'invalid_token']);
  });
});
