/**
 * docs/security.md attack 48, in Debian's Chromium: the dashboard's credentials as the browser
 * would send them to another 127.0.0.1 port. The person logs in and opens a grant; then the same
 * browser visits another local server, which keeps whatever the browser sends it (cookies are not
 * bound to a port) and replays it on the dashboard and as a grant session on the admin API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, openBrowser, type Browser } from '../helpers/browser.js';
import { TEST_PASSPHRASE } from '../helpers/engine-fixture.js';
import { openDashboard, type DashboardFixture } from '../core/dashboard/dashboard-fixture.js';

const chromium = browserAvailability();

interface Hostile {
  readonly server: Server;
  readonly origin: string;
  /** Every Cookie header the browser sent it. */
  readonly cookies: string[];
}

async function startHostile(): Promise<Hostile> {
  const cookies: string[] = [];
  const server = createServer((req, res) => {
    if (req.headers.cookie !== undefined) cookies.push(req.headers.cookie);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>hostile</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cookies };
}

describe.skipIf(chromium.skip)(`the dashboard's credentials on another port ${chromium.reason}`, () => {
  let f: DashboardFixture;
  let b: Browser;
  let hostile: Hostile;

  beforeAll(async () => {
    f = await openDashboard();
    hostile = await startHostile();
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await new Promise((resolve) => hostile?.server.close(resolve));
    await f?.close();
  });

  it('attack 48: what the browser sends another 127.0.0.1 port grants and reads nothing, replayed on any transport', async () => {
    // The person: logged in, with a grant session open in this tab.
    await b.page.goto((await f.t.admin.dashboardLoginUrl({})).url);
    await b.page.waitForFunction(() => location.hash === '');
    const granted = await b.page.evaluate(async (passphrase) => {
      const res = await fetch('/dashboard/grant', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-valetkey-tab': sessionStorage.getItem('valetkey.tab') ?? '' },
        body: JSON.stringify({ passphrase, minutes: 5 }),
      });
      return res.status;
    }, TEST_PASSPHRASE);
    expect(granted).toBe(200);

    const visit = await b.context.newPage();
    await visit.goto(`${hostile.origin}/collect`);
    await visit.close();
    const received = hostile.cookies.join('; ');
    expect(received).not.toMatch(/vk_|valetkey/i);
    const tabSecret = await b.page.evaluate(() => sessionStorage.getItem('valetkey.tab') ?? '');
    expect(tabSecret.length).toBeGreaterThanOrEqual(43);
    expect(received).not.toContain(tabSecret);
    // Replayed as they came, and each value in every place a secret could go: nothing opens.
    const values = received.split(';').map((c) => c.split('=')[1]?.trim() ?? '').filter((v) => v !== '');
    const before = (await f.t.admin.queryAudit({ action: 'admin.grant_refused', limit: 500 })).rows.length;
    for (const value of ['', ...values]) {
      const api = await f.post('/admin/v1/status', {}, { ...(received === '' ? {} : { cookie: received }), tab: value });
      expect(api.status).toBe(401);
      expect(api.text).not.toContain('"ok":true');
      await expect(f.t.admin.createToken({ grant: { session: value }, token: { name: 'replayed', vaults: [], actions: ['read'], lifespanSeconds: 3600 } })).rejects.toMatchObject({ code: 'grant_required' });
    }
    const refused = (await f.t.admin.queryAudit({ action: 'admin.grant_refused', limit: 500 })).rows;
    expect(refused.length - before).toBe(values.length + 1);
    expect(refused[0]).toMatchObject({ outcome: 'refused', errorCode: 'grant_required', detail: { method: 'createToken' } });
    expect((await f.t.admin.listTokens({})).filter((t) => t.name === 'replayed')).toEqual([]);
  });
});
