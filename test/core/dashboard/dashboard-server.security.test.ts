/**
 * The headless dashboard server under attack, over raw HTTP against a real engine: one-time
 * login codes that hand a tab its own secret (never a cookie), Host and Origin checks, no CORS,
 * the security headers, grant sessions held by the engine and bound to the tab, and static files
 * that never leave their directory.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp.js';
import { cookiesOf, openDashboard, tabSecretOf, type DashboardFixture } from './dashboard-fixture.js';
import { TEST_PASSPHRASE } from '../../helpers/engine-fixture.js';

let f: DashboardFixture;
beforeEach(async () => {
  f = await openDashboard();
});
afterEach(async () => {
  await f.close();
});

async function loginPath(): Promise<string> {
  const { url } = await f.t.admin.dashboardLoginUrl({});
  const u = new URL(url);
  expect(u.origin).toBe(f.server.origin);
  return u.pathname + u.search;
}

async function auditActions(action: string): Promise<string[]> {
  const page = await f.t.admin.queryAudit({ action, limit: 500 });
  return page.rows.map((r) => r.outcome);
}

describe('login codes', () => {
  it('are at least 128 bits, work once, and hand the tab a secret in the redirect fragment, never a cookie', async () => {
    const path = await loginPath();
    const code = new URLSearchParams(path.split('?')[1]).get('code') ?? '';
    expect(Buffer.from(code, 'base64url').length).toBeGreaterThanOrEqual(16);

    const first = await f.get(path);
    expect(first.status).toBe(303);
    const tab = tabSecretOf(first) ?? '';
    expect(Buffer.from(tab, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(tab).not.toBe(code);
    expect(cookiesOf(first)).toEqual([]);

    const again = await f.get(path);
    expect(again.status).toBe(403);
    expect(tabSecretOf(again)).toBeUndefined();
    expect(again.text).toContain('valetkey dashboard-url');
    expect(await auditActions('dashboard.login')).toEqual(['refused', 'ok']);
  });

  it('answer a used link with a page in the app’s own style that says how to get back in', async () => {
    const path = await loginPath();
    expect((await f.get(path)).status).toBe(303);
    const used = await f.get(path);
    expect(used.status).toBe(403);
    expect(used.text).toContain('<link rel="stylesheet" href="/assets/app.css">');
    expect(used.text).toContain('<main class="centered" data-testid="server-page" data-page="loginRefused">');
    expect(used.text).toContain('run <code>valetkey dashboard-url</code> in a terminal');
    // No inline style or script: the strict CSP applies to this page too, and the sheet it links is served.
    expect(used.text).not.toMatch(/<style|<script|style=/);
    const sheet = await f.get('/assets/app.css');
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-type']).toMatch(/^text\/css/);
  });

  it('expire after 10 minutes', async () => {
    const path = await loginPath();
    f.advance(10 * 60_000 + 1);
    expect((await f.get(path)).status).toBe(403);
  });

  it('refuse a made-up code, a repeated code parameter, and any method but GET', async () => {
    const path = await loginPath();
    const code = new URLSearchParams(path.split('?')[1]).get('code') ?? '';
    expect((await f.get('/login?code=' + 'A'.repeat(43))).status).toBe(403);
    expect((await f.get(`/login?code=${code}&code=${code}`)).status).toBe(403);
    // The repeated form spent nothing: the code was never looked up.
    expect((await f.post(path, {})).status).toBe(405);
    expect((await f.get(path)).status).toBe(303);
  });

  it('cannot be minted when no dashboard is served', async () => {
    await f.server.close();
    await expect(f.t.admin.dashboardLoginUrl({})).rejects.toMatchObject({ code: 'dashboard_unavailable' });
  });
});

describe('sessions', () => {
  it('are required for the admin API, the event stream and grants; the app itself holds no data', async () => {
    // The page loads without a secret (a navigation cannot carry the header) and shows the login hint itself.
    expect((await f.get('/')).status).toBe(200);
    const api = await f.post('/admin/v1/status', {});
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ ok: false, error: { error: 'unauthorized' } });
    expect((await f.get('/admin/v1/events')).status).toBe(401);
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE })).status).toBe(401);
  });

  it('are not opened by a made-up tab secret, by the secret as a cookie, by two tab headers, nor by the admin session-secret header', async () => {
    expect((await f.post('/admin/v1/status', {}, { tab: 'A'.repeat(43) })).status).toBe(401);
    const tab = await f.login();
    for (const name of ['vk_session', 'vk_grant', 'vk_tab']) {
      expect((await f.post('/admin/v1/status', {}, { cookie: `${name}=${tab}` })).status).toBe(401);
    }
    expect((await f.post('/admin/v1/status', {}, { tab, headers: ['x-valetkey-tab', 'B'.repeat(43)] })).status).toBe(401);
    expect((await f.post('/admin/v1/status', {}, { headers: ['x-valetkey-session', tab] })).status).toBe(401);
    expect((await f.post('/admin/v1/status', {}, { tab })).status).toBe(200);
  });

  it('serve the app and the admin API once logged in', async () => {
    const tab = await f.login();
    const page = await f.get('/', { tab });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('id="root"');
    const script = await f.get('/assets/app.js', { tab });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const status = await f.post('/admin/v1/status', {}, { tab });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ ok: true, value: { locked: false } });
  });

  it('end after 12 hours without a request, and on logout', async () => {
    const tab = await f.login();
    f.advance(11 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { tab })).status).toBe(200);
    f.advance(11 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { tab })).status).toBe(200);
    f.advance(12 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { tab })).status).toBe(401);

    const other = await f.login();
    const out = await f.post('/dashboard/logout', {}, { tab: other });
    expect(out.status).toBe(200);
    expect((await f.post('/admin/v1/status', {}, { tab: other })).status).toBe(401);
  });

  it('say what to do when the app is not built', async () => {
    await f.close();
    f = await openDashboard({ built: false });
    const page = await f.get('/');
    expect(page.status).toBe(503);
    expect(page.text).toContain('npm run build');
    expect(f.server.built).toBe(false);
  });
});

describe('Host and Origin', () => {
  it('refuse a foreign Host before anything else, and a missing or doubled one', async () => {
    const tab = await f.login();
    for (const host of ['evil.example', `evil.example:${f.server.port}`, `127.0.0.1:${f.server.port + 1}`]) {
      const res = await f.get('/', { tab, host });
      expect(res.status, host).toBe(403);
      expect(res.body).toMatchObject({ error: { error: 'forbidden_host' } });
    }
    expect((await f.post('/admin/v1/status', {}, { tab, host: 'evil.example' })).status).toBe(403);
    expect((await f.get('/', { tab, headers: ['Host', 'evil.example'] })).status).toBe(400);
    expect((await f.get('/', { tab, host: `localhost:${f.server.port}` })).status).toBe(200);
  });

  it('refuse a POST from a foreign origin, from Origin: null, or with no Origin at all, even with the tab secret', async () => {
    const tab = await f.login();
    for (const origin of ['http://evil.example', 'null', `http://localhost:${f.server.port}`, `http://127.0.0.1:${f.server.port + 1}`, null]) {
      const res = await f.post('/admin/v1/lock', {}, { tab, origin });
      expect(res.status, String(origin)).toBe(403);
      expect(res.body).toMatchObject({ ok: false, error: { error: 'forbidden_origin' } });
      expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE }, { tab, origin })).status).toBe(403);
    }
    expect((await f.t.admin.status({})).locked).toBe(false);
    expect((await f.post('/admin/v1/lock', {}, { tab })).status).toBe(200);
  });

  it('refuse a GET that carries a foreign Origin (an EventSource or fetch from another page)', async () => {
    const tab = await f.login();
    expect((await f.get('/admin/v1/events', { tab, origin: 'http://evil.example' })).status).toBe(403);
    expect((await f.get('/', { tab, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('never answer with CORS headers, preflight or not', async () => {
    const tab = await f.login();
    const preflight = await f.get('/admin/v1/status', {
      method: 'OPTIONS',
      origin: 'http://evil.example',
      headers: ['Access-Control-Request-Method', 'POST', 'Access-Control-Request-Headers', 'content-type'],
    });
    const responses = [preflight, await f.get('/', { tab }), await f.post('/admin/v1/status', {}, { tab }), await f.post('/admin/v1/status', {}, { tab, origin: 'http://evil.example' })];
    for (const res of responses) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(preflight.status).toBe(403);
  });

  it('take only application/json POST bodies (no side effect otherwise)', async () => {
    const tab = await f.login();
    const res = await f.post('/admin/v1/lock', {}, { tab, contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect((await f.t.admin.status({})).locked).toBe(false);
  });
});

describe('security headers', () => {
  it('put the strict CSP, DENY framing, nosniff, no-referrer and no-store on every answer', async () => {
    const tab = await f.login();
    const answers = [await f.get('/', { tab }), await f.get('/'), await f.get('/assets/app.js', { tab }), await f.post('/admin/v1/status', {}, { tab }), await f.get('/login?code=x')];
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('grant sessions', () => {
  it('need the passphrase, stay in the engine bound to the tab, and are injected into that tab’s grant calls only', async () => {
    const tab = await f.login();
    const createVault = (name: string, as: string) => f.post('/admin/v1/createVault', { vault: { name } }, { tab: as });
    const refused = await createVault('Refused', tab);
    expect(refused.body).toMatchObject({ ok: false, error: { error: 'grant_required' } });

    const wrong = await f.post('/dashboard/grant', { passphrase: 'not the passphrase at all', minutes: 5 }, { tab });
    expect(wrong.status).toBe(403);
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 16 }, { tab })).status).toBe(400);

    const opened = await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 }, { tab });
    expect(opened.status).toBe(200);
    expect(Object.keys(opened.body.value)).toEqual(['expiresAt']);
    expect(opened.text).not.toContain(TEST_PASSPHRASE);
    expect(cookiesOf(opened)).toEqual([]);

    const created = await createVault('Granted', tab);
    expect(created.body).toMatchObject({ ok: true, value: { name: 'Granted' } });
    // Another tab (another login) does not share the grant.
    const otherTab = await f.login();
    expect((await createVault('Other tab', otherTab)).body).toMatchObject({ ok: false, error: { error: 'grant_required' } });

    const closed = await f.post('/dashboard/grant/close', undefined, { tab });
    expect(closed.body).toEqual({ ok: true, value: { closed: true } });
    expect((await createVault('After close', tab)).body).toMatchObject({ ok: false, error: { error: 'grant_required' } });
  });

  it('end when the engine locks', async () => {
    const tab = await f.login();
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE }, { tab })).status).toBe(200);
    await f.post('/admin/v1/lock', {}, { tab });
    await f.t.admin.unlock({ passphrase: TEST_PASSPHRASE });
    const res = await f.post('/admin/v1/createVault', { vault: { name: 'After lock' } }, { tab });
    expect(res.body).toMatchObject({ ok: false, error: { error: 'grant_required' } });
  });
});

describe('static files', () => {
  it('never leave the renderer directory', async () => {
    const tab = await f.login();
    symlinkSync(join(f.rendererDir, '..', 'outside.txt'), join(f.rendererDir, 'assets', 'link.txt'));
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e%2f%2e%2e%2foutside.txt', '/assets/..%5c..%5coutside.txt', '/assets/link.txt', '/assets', '/%00']) {
      const res = await f.get(path, { tab });
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('not part of the dashboard');
    }
  });

  it('refuse query strings outside the login link', async () => {
    const tab = await f.login();
    expect((await f.get('/?x=1', { tab })).status).toBe(400);
    expect((await f.post('/admin/v1/status?session=x', {}, { tab })).status).toBe(400);
  });
});
