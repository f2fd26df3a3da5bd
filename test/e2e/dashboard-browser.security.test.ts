/**
 * The headless dashboard's defences as a real browser meets them (Debian's Chromium): the login
 * link handing the tab a secret of its own (no cookie at all), and a hostile server on another
 * loopback port — the same *site* as the dashboard — receiving whatever the browser sends it,
 * replaying it, and trying from its page to lock the engine, end the person's grant, log them
 * out, follow the event stream and frame the dashboard. DNS rebinding is played with Chromium's
 * host-resolver rules.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';
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

/** A page of some other local program (or a page that found our port), on its own port; it keeps the cookies it receives. */
async function startHostilePage(): Promise<Hostile> {
  const cookies: string[] = [];
  const server = createServer((req, res) => {
    if (req.headers.cookie !== undefined) cookies.push(req.headers.cookie);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>hostile</title><h1>hostile</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cookies };
}

async function loginUrl(f: DashboardFixture): Promise<string> {
  return (await f.t.admin.dashboardLoginUrl({})).url;
}

/** fetch() from inside the page, as its own scripts would: with the tab's secret in its header. */
function pageFetch(b: Browser, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return b.page.evaluate(
    async ({ path, body }) => {
      const tab = sessionStorage.getItem('valetkey.tab') ?? '';
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-valetkey-tab': tab }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as unknown };
    },
    { path, body },
  );
}

describe.skipIf(chromium.skip)(`dashboard in Chromium ${chromium.reason}`, () => {
  let f: DashboardFixture;
  let b: Browser;
  let hostile: Hostile;

  beforeAll(async () => {
    f = await openDashboard();
    hostile = await startHostilePage();
    b = await openBrowser({ extraArgs: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });
  });
  afterAll(async () => {
    await b?.close();
    await new Promise((resolve) => hostile?.server.close(resolve));
    await f?.close();
  });

  it('logs in through the one-time link, lands on / with a secret only this tab holds, and sets no cookie', async () => {
    const url = await loginUrl(f);
    const res = await b.page.goto(url);
    // The fragment carried the secret into sessionStorage and left the address bar.
    await b.page.waitForFunction(() => location.hash === '');
    expect(b.page.url()).toBe(`${f.server.origin}/`);
    expect(await b.page.evaluate(() => (sessionStorage.getItem('valetkey.tab') ?? '').length)).toBeGreaterThanOrEqual(43);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res?.headers()['x-frame-options']).toBe('DENY');
    expect(await b.page.locator('#root').count()).toBe(1);

    const granted = await pageFetch(b, '/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 });
    expect(granted.status).toBe(200);
    expect(Object.keys((granted.json as { value: object }).value)).toEqual(['expiresAt']);

    expect(await b.context.cookies()).toEqual([]);
    expect(await b.page.evaluate(() => document.cookie)).toBe('');

    // The grant session, kept by the engine for this tab, stands in for the passphrase on grant calls.
    const created = await pageFetch(b, '/admin/v1/createVault', { vault: { name: 'From the browser' } });
    expect(created.json).toMatchObject({ ok: true, value: { name: 'From the browser' } });

    const again = await b.context.newPage();
    const reused = await again.goto(url);
    expect(reused?.status()).toBe(403);
    expect(await again.textContent('body')).toContain('valetkey dashboard-url');
    await again.close();
  });

  it('follows engine events over a fetch stream with the tab secret (an EventSource, which cannot send it, is refused)', async () => {
    const received = b.page.evaluate(async () => {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 10_000);
      const res = await fetch('/admin/v1/events', { headers: { 'x-valetkey-tab': sessionStorage.getItem('valetkey.tab') ?? '' }, signal: stop.signal });
      if (res.body === null) return '';
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes('event: vaults.changed')) text += (await reader.read()).value ?? '';
      stop.abort();
      return /event: vaults.changed\ndata: (.*)\n/.exec(text)?.[1] ?? '';
    });
    const plain = await b.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const es = new EventSource('/admin/v1/events');
          es.onopen = () => resolve('opened');
          es.onerror = () => {
            es.close();
            resolve('refused');
          };
        }),
    );
    expect(plain).toBe('refused');
    // Give the stream a moment to open, then change something.
    await new Promise((r) => setTimeout(r, 500));
    f.t.engine.emit({ type: 'vaults.changed' });
    expect(JSON.parse(await received)).toEqual({ type: 'vaults.changed' });
  });

  it('a page on another loopback port (same site) can neither call, nor end the grant, nor log out, nor listen, nor frame', async () => {
    const target = f.server.origin;
    const evil = await b.context.newPage();
    await evil.goto(hostile.origin);
    const outcome = await evil.evaluate(async (target) => {
      const tries: Record<string, string> = {};
      const attempt = async (name: string, run: () => Promise<unknown>) => {
        try {
          const r = await run();
          tries[name] = r instanceof Response ? `answered ${r.type} ${r.status}` : String(r);
        } catch (e) {
          tries[name] = `failed: ${(e as Error).name}`;
        }
      };
      const json = { 'content-type': 'application/json' };
      await attempt('cors lock', () => fetch(`${target}/admin/v1/lock`, { method: 'POST', credentials: 'include', headers: json, body: '{}' }));
      await attempt('no-cors lock', () => fetch(`${target}/admin/v1/lock`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }));
      await attempt('no-cors grant close', () => fetch(`${target}/dashboard/grant/close`, { method: 'POST', mode: 'no-cors', credentials: 'include' }));
      await attempt('no-cors logout', () => fetch(`${target}/dashboard/logout`, { method: 'POST', mode: 'no-cors', credentials: 'include' }));
      await attempt('read status', () => fetch(`${target}/admin/v1/status`, { method: 'POST', credentials: 'include', headers: json, body: '{}' }).then((r) => r.text()));
      await attempt('read app', () => fetch(`${target}/`, { credentials: 'include' }).then((r) => r.text()));
      await attempt(
        'events',
        () =>
          new Promise((resolve) => {
            const es = new EventSource(`${target}/admin/v1/events`, { withCredentials: true });
            es.onmessage = () => resolve('got an event');
            es.onerror = () => {
              es.close();
              resolve('refused');
            };
          }),
      );
      const frame = document.createElement('iframe');
      frame.src = `${target}/`;
      document.body.append(frame);
      await new Promise((r) => setTimeout(r, 1500));
      return tries;
    }, target);

    expect(outcome['cors lock']).toBe('failed: TypeError');
    expect(outcome['read status']).toBe('failed: TypeError');
    expect(outcome['read app']).toBe('failed: TypeError');
    expect(outcome['events']).toBe('refused');
    // Opaque answers: the page learns nothing, and the server refused them (checked below).
    console.log(outcome);

    const framed = evil.frames().filter((fr) => fr !== evil.mainFrame());
    expect(framed).toHaveLength(1);
    const frameHasApp = await framed[0]!.evaluate(() => document.getElementById('root') !== null).catch(() => false);
    expect(frameHasApp).toBe(false);
    await evil.close();

    // Nothing happened: unlocked, the grant and the session both still work.
    expect((await f.t.admin.status({})).locked).toBe(false);
    const still = await pageFetch(b, '/admin/v1/createVault', { vault: { name: 'Still granted' } });
    expect(still.json).toMatchObject({ ok: true, value: { name: 'Still granted' } });
    const locks = await f.t.admin.queryAudit({ action: 'engine.lock' });
    expect(locks.rows).toEqual([]);
  });

  it('refuses a page reached through another name for 127.0.0.1 (DNS rebinding)', async () => {
    const page = await b.context.newPage();
    const res = await page.goto(`http://rebind.test:${f.server.port}/`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('forbidden_host');
    await page.close();
  });
});
