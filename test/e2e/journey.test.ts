/**
 * The first-use journey, as a new user would live it, in Debian's Chromium against headless
 * mode (`valetkey daemon --headless`, passphrase key file, so it starts locked): unlock; create a
 * vault and an entry; create a token and copy its shell snippet; run a separate agent process
 * with that snippet and watch its access appear in Activity without a reload; mark the vault as
 * needing approval, approve one request on the Approvals page (the agent gets the secret) and
 * deny another; revoke the token (the agent is refused); lock and unlock; sign out, meet the
 * spent login link's page, and come back with `valetkey dashboard-url`. A screenshot of each
 * page goes to test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, SCREENSHOTS, type Browser } from '../helpers/browser.js';
import { PASSPHRASE, runCli } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { parseShellSnippet, startAgent, type Agent, type Snippet } from './agent-runner.js';
import { NO_DBUS, type HeadlessDaemon } from './headless-daemon.js';
import { confirmIfAsked, openDashboard, UI_WAIT } from './dashboard-page.js';

const chromium = browserAvailability();
const DB_PASSWORD = 'S3cret-db-password-for-the-journey';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Each page at the two widths the layout is made for; the journey goes on at 1280.
  for (const width of [1920, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
}

async function openVault(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-vaults').click();
  await page.getByTestId('vault-item').filter({ hasText: name }).click();
  await expect.poll(() => page.getByTestId('vault-title').textContent(), UI_WAIT).toBe(name);
}

describe.skipIf(chromium.skip)(`the dashboard journey in Chromium ${chromium.reason}`, () => {
  const home = tempHome('vk-jr-');
  let daemon: HeadlessDaemon;
  let b: Browser;
  let page: Page;
  let agent: Agent | undefined;
  let snippet: Snippet;

  beforeAll(async () => {
    ({ daemon, b, page } = await openDashboard(home.dir, { permissions: ['clipboard-read', 'clipboard-write'] }));
  });
  afterAll(async () => {
    await agent?.close();
    await b?.close();
    await daemon?.stop();
    home.cleanup();
  });

  it('logs in with the printed link and unlocks on the lock screen', async () => {
    await page.goto(daemon.loginUrl);
    await page.getByTestId('lock-screen').waitFor(UI_WAIT);
    // The tab holds its secret; the address bar and the cookie jar hold nothing.
    expect(new URL(page.url()).hash).toBe('');
    expect(await b.context.cookies()).toEqual([]);
    await shot(page, '01-lock-screen');
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('nav-vaults').waitFor(UI_WAIT);
  });

  it('creates a vault and an entry', async () => {
    await page.getByTestId('nav-vaults').click();
    await page.getByTestId('vault-new').click();
    await page.getByTestId('vault-name').fill('Servers');
    await page.getByTestId('vault-save').click();
    await confirmIfAsked(page, () => page.getByTestId('vault-item').filter({ hasText: 'Servers' }).waitFor(UI_WAIT));
    await openVault(page, 'Servers');

    await page.getByTestId('entry-new').click();
    await page.getByTestId('entry-title').fill('Database');
    await page.getByTestId('entry-username').fill('deploy');
    await page.getByTestId('entry-password').fill(DB_PASSWORD);
    await page.getByTestId('entry-save').click();
    await confirmIfAsked(page, () => page.getByTestId('entry-item').filter({ hasText: 'Database' }).waitFor(UI_WAIT));
    await shot(page, '02-vaults');
  });

  it('creates a token and copies its shell snippet', async () => {
    await page.getByTestId('nav-tokens').click();
    await page.getByTestId('token-new').click();
    await page.getByTestId('token-template-blank').click();
    await page.getByTestId('token-name').fill('ci-bot');
    await page.locator('[data-testid="token-vault"][data-vault-name="Servers"]').check();
    await shot(page, '03-token-wizard');
    await page.getByTestId('token-create').click();
    await confirmIfAsked(page, () => page.getByTestId('enrollment-result').waitFor(UI_WAIT));

    await page.getByTestId('snippet-tab-shell').click();
    // The snippet names a real entry of the vault, so it runs as shown (it loads a moment after the code).
    await page.getByTestId('snippet-shell').filter({ hasText: 'vk://Servers/Database/password' }).waitFor(UI_WAIT);
    const shown = (await page.getByTestId('snippet-shell').textContent()) ?? '';
    await page.getByTestId('copy-snippet-shell').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);
    snippet = parseShellSnippet(copied);
    expect(snippet.code).toBe((await page.getByTestId('enrollment-code').textContent())?.trim());
    expect(snippet.ref).toBe('vk://Servers/Database/password');
    await shot(page, '04-token-created');
    await page.getByTestId('enrollment-done').click();
  });

  it('runs the agent with the snippet and shows its access in Activity without a reload', async () => {
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('audit-table').waitFor(UI_WAIT);
    await page.evaluate(() => ((window as { journeyMarker?: boolean }).journeyMarker = true));

    agent = await startAgent(home.dir, snippet, 'ci-bot');
    // Says which agent ran: the real `valetkey login`/`read` once the agent CLI exists, else agent-process.ts.
    process.stderr.write(`journey: the agent is the ${agent.kind}\n`);
    expect(await agent.enroll()).toMatchObject({ ok: true });
    expect(await agent.read('Database', 'deploy the database')).toEqual({ ok: true, value: DB_PASSWORD });

    const row = page.locator('[data-testid="audit-row"][data-action="secret.read"][data-outcome="allowed"]').filter({ hasText: 'deploy the database' });
    await row.waitFor(UI_WAIT);
    expect(await page.evaluate(() => (window as { journeyMarker?: boolean }).journeyMarker)).toBe(true);
    expect(await page.content()).not.toContain(DB_PASSWORD);
    await shot(page, '05-activity');
  });

  it('asks before a secret of a vault that needs approval leaves: approved once, then denied', async () => {
    await openVault(page, 'Servers');
    await page.getByTestId('vault-edit').click();
    await page.getByTestId('vault-approval-mode').selectOption('every_access');
    await page.getByTestId('vault-save').click();
    await confirmIfAsked(page, () => expect.poll(() => page.getByTestId('vault-approval').textContent(), UI_WAIT).toMatch(/every/i));

    await page.getByTestId('nav-approvals').click();
    const approved = agent!.read('Database', 'rotate the keys');
    const card = page.getByTestId('approval-card').filter({ hasText: 'rotate the keys' });
    await card.waitFor(UI_WAIT);
    // The person named this token in the app: the name is theirs, not merely the agent's claim.
    expect(await card.textContent()).toContain('ci-bot');
    expect(await card.textContent()).not.toContain('claimed');
    await shot(page, '06-approvals');
    await card.getByTestId('approval-allow-once').click();
    expect(await approved).toEqual({ ok: true, value: DB_PASSWORD });

    const denied = agent!.read('Database', 'one more look');
    const second = page.getByTestId('approval-card').filter({ hasText: 'one more look' });
    await second.waitFor(UI_WAIT);
    await second.getByTestId('approval-deny').click();
    expect(await denied).toMatchObject({ ok: false, error: 'approval_denied' });
    await page.getByTestId('approval-history').waitFor(UI_WAIT);
    await shot(page, '07-approvals-history');
  });

  it('revokes the token, and the agent is refused', async () => {
    await page.getByTestId('nav-tokens').click();
    const row = page.locator('[data-testid="token-row"][data-token-name="ci-bot"]');
    await row.getByTestId('token-revoke').click();
    await page.getByTestId('confirm-ok').click();
    await confirmIfAsked(page, () => page.locator('[data-testid="token-row"][data-token-name="ci-bot"][data-token-status="revoked"]').waitFor(UI_WAIT));
    await shot(page, '08-tokens');
    expect(await agent!.read('Database', 'after revocation')).toMatchObject({ ok: false, error: 'invalid_token' });
  });

  it('shows the settings page', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('key-storage').textContent(), UI_WAIT).toMatch(/key file/i);
    await shot(page, '09-settings');
  });

  it('locks and unlocks', async () => {
    await page.getByTestId('lock-now').click();
    await page.getByTestId('lock-screen').waitFor(UI_WAIT);
    const status = await runCli(home.dir, ['status', '--json'], { env: NO_DBUS });
    expect(JSON.parse(status.stdout)).toMatchObject({ locked: true });
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('nav-vaults').waitFor(UI_WAIT);
    expect(JSON.parse((await runCli(home.dir, ['status', '--json'], { env: NO_DBUS })).stdout)).toMatchObject({ locked: false });
    await shot(page, '10-unlocked');
  });

  it('signs out, says how to get back in, and the spent login link says so too in the app’s style', async () => {
    await page.getByTestId('sign-out').click();
    const signedOut = page.getByTestId('signed-out');
    await signedOut.waitFor(UI_WAIT);
    const said = (await signedOut.textContent()) ?? '';
    expect(said).toContain('You signed out');
    expect(said).toContain('valetkey dashboard-url');
    expect(said).not.toMatch(/session secret|restart the daemon/i);
    const look = () => page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.querySelector('.card') ?? document.body).borderRadius]);
    const appLook = await look();
    await shot(page, '11-signed-out');

    const used = await page.goto(daemon.loginUrl);
    expect(used?.status()).toBe(403);
    const notice = page.getByTestId('server-page');
    await notice.waitFor(UI_WAIT);
    expect(await notice.textContent()).toContain('valetkey dashboard-url');
    // The app's stylesheet applies: the same background and card as the app's own page, not the browser's defaults.
    expect(appLook[0]).not.toBe('rgba(0, 0, 0, 0)');
    expect(await look()).toEqual(appLook);
    await shot(page, '12-login-link-used');

    const fresh = await runCli(home.dir, ['dashboard-url'], { env: NO_DBUS });
    expect(fresh.code, fresh.stderr).toBe(0);
    const link = /http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]+/.exec(fresh.stdout)?.[0] ?? '';
    await page.goto(link);
    await page.getByTestId('nav-vaults').waitFor(UI_WAIT);
  });
});
