/**
 * The headless dashboard server under attack, over raw HTTP against a real engine: one-time
 * login codes, cookie flags, Host and Origin checks, no CORS, the security headers, grant
 * sessions held only in an HttpOnly cookie, and static files that never leave their directory.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp.js';
import { cookiePair, cookiesOf, openDashboard, type DashboardFixture } from './dashboard-fixture.js';
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
  it('are at least 128 bits, work once, and turn into an HttpOnly SameSite=Strict session cookie', async () => {
    const path = await loginPath();
    const code = new URLSearchParams(path.split('?')[1]).get('code') ?? '';
    expect(Buffer.from(code, 'base64url').length).toBeGreaterThanOrEqual(16);

    const first = await f.get(path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const session = cookiesOf(first).find((c) => c.startsWith('vk_session='));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\//);
    expect(session).not.toMatch(/Domain=/i);

    const again = await f.get(path);
    expect(again.status).toBe(403);
    expect(cookiesOf(again).filter((c) => c.startsWith('vk_session='))).toEqual([]);
    expect(again.text).toContain('valetkey dashboard-url');
    expect(await auditActions('dashboard.login')).toEqual(['refused', 'ok']);
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
  it('are required for the app, the admin API and the event stream', async () => {
    const page = await f.get('/');
    expect(page.status).toBe(401);
    expect(page.text).toContain('valetkey dashboard-url');
    expect(page.text).not.toContain('id="root"');
    const api = await f.post('/admin/v1/status', {});
    expect(api.status).toBe(401);
    expect(api.body).toMatchObject({ ok: false, error: { error: 'unauthorized' } });
    expect((await f.get('/admin/v1/events')).status).toBe(401);
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE })).status).toBe(401);
  });

  it('are not opened by a made-up or planted cookie, nor by the admin session-secret header', async () => {
    expect((await f.post('/admin/v1/status', {}, { cookie: 'vk_session=' + 'A'.repeat(43) })).status).toBe(401);
    const cookie = await f.login();
    // Two vk_session cookies: one may be planted by someone else; neither is trusted.
    expect((await f.post('/admin/v1/status', {}, { cookie: `${cookie}; vk_session=${'B'.repeat(43)}` })).status).toBe(401);
    expect((await f.post('/admin/v1/status', {}, { headers: ['x-valetkey-session', cookie.split('=')[1] ?? ''] })).status).toBe(401);
  });

  it('serve the app and the admin API once logged in', async () => {
    const cookie = await f.login();
    const page = await f.get('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('id="root"');
    const script = await f.get('/assets/app.js', { cookie });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const status = await f.post('/admin/v1/status', {}, { cookie });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ ok: true, value: { locked: false } });
  });

  it('end after 12 hours without a request, and on logout', async () => {
    const cookie = await f.login();
    f.advance(11 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { cookie })).status).toBe(200);
    f.advance(11 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { cookie })).status).toBe(200);
    f.advance(12 * 3600_000);
    expect((await f.post('/admin/v1/status', {}, { cookie })).status).toBe(401);

    const other = await f.login();
    const out = await f.post('/dashboard/logout', {}, { cookie: other });
    expect(out.status).toBe(200);
    expect(cookiesOf(out).some((c) => c.startsWith('vk_session=;') && c.includes('Max-Age=0'))).toBe(true);
    expect((await f.get('/', { cookie: other })).status).toBe(401);
  });

  it('say what to do when the app is not built', async () => {
    await f.close();
    f = await openDashboard({ built: false });
    const cookie = await f.login();
    const page = await f.get('/', { cookie });
    expect(page.status).toBe(503);
    expect(page.text).toContain('npm run build');
    expect(f.server.built).toBe(false);
  });
});

describe('Host and Origin', () => {
  it('refuse a foreign Host before anything else, and a missing or doubled one', async () => {
    const cookie = await f.login();
    for (const host of ['evil.example', `evil.example:${f.server.port}`, `127.0.0.1:${f.server.port + 1}`]) {
      const res = await f.get('/', { cookie, host });
      expect(res.status, host).toBe(403);
      expect(res.body).toMatchObject({ error: { error: 'forbidden_host' } });
    }
    expect((await f.post('/admin/v1/status', {}, { cookie, host: 'evil.example' })).status).toBe(403);
    expect((await f.get('/', { cookie, headers: ['Host', 'evil.example'] })).status).toBe(400);
    expect((await f.get('/', { cookie, host: `localhost:${f.server.port}` })).status).toBe(200);
  });

  it('refuse a POST from a foreign origin, from Origin: null, or with no Origin at all, even with the cookie', async () => {
    const cookie = await f.login();
    for (const origin of ['http://evil.example', 'null', `http://localhost:${f.server.port}`, `http://127.0.0.1:${f.server.port + 1}`, null]) {
      const res = await f.post('/admin/v1/lock', {}, { cookie, origin });
      expect(res.status, String(origin)).toBe(403);
      expect(res.body).toMatchObject({ ok: false, error: { error: 'forbidden_origin' } });
      expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE }, { cookie, origin })).status).toBe(403);
    }
    expect((await f.t.admin.status({})).locked).toBe(false);
    expect((await f.post('/admin/v1/lock', {}, { cookie })).status).toBe(200);
  });

  it('refuse a GET that carries a foreign Origin (an EventSource or fetch from another page)', async () => {
    const cookie = await f.login();
    expect((await f.get('/admin/v1/events', { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await f.get('/', { cookie, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('never answer with CORS headers, preflight or not', async () => {
    const cookie = await f.login();
    const preflight = await f.get('/admin/v1/status', {
      method: 'OPTIONS',
      origin: 'http://evil.example',
      headers: ['Access-Control-Request-Method', 'POST', 'Access-Control-Request-Headers', 'content-type'],
    });
    const responses = [preflight, await f.get('/', { cookie }), await f.post('/admin/v1/status', {}, { cookie }), await f.post('/admin/v1/status', {}, { cookie, origin: 'http://evil.example' })];
    for (const res of responses) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(preflight.status).toBe(403);
  });

  it('take only application/json POST bodies (no side effect otherwise)', async () => {
    const cookie = await f.login();
    const res = await f.post('/admin/v1/lock', {}, { cookie, contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect((await f.t.admin.status({})).locked).toBe(false);
  });
});

describe('security headers', () => {
  it('put the strict CSP, DENY framing, nosniff, no-referrer and no-store on every answer', async () => {
    const cookie = await f.login();
    const answers = [await f.get('/', { cookie }), await f.get('/'), await f.get('/assets/app.js', { cookie }), await f.post('/admin/v1/status', {}, { cookie }), await f.get('/login?code=x')];
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
  it('need the passphrase, live only in an HttpOnly cookie, and are injected into grant calls', async () => {
    const cookie = await f.login();
    const createVault = (name: string, cookies: string) => f.post('/admin/v1/createVault', { vault: { name } }, { cookie: cookies });
    const refused = await createVault('Refused', cookie);
    expect(refused.body).toMatchObject({ ok: false, error: { error: 'grant_required' } });

    const wrong = await f.post('/dashboard/grant', { passphrase: 'not the passphrase at all', minutes: 5 }, { cookie });
    expect(wrong.status).toBe(403);
    expect(cookiesOf(wrong)).toEqual([]);
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 16 }, { cookie })).status).toBe(400);

    const opened = await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 }, { cookie });
    expect(opened.status).toBe(200);
    expect(Object.keys(opened.body.value)).toEqual(['expiresAt']);
    expect(opened.text).not.toContain(TEST_PASSPHRASE);
    const grantCookie = cookiesOf(opened).find((c) => c.startsWith('vk_grant='));
    expect(grantCookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Max-Age=300$/);
    const grant = cookiePair(opened, 'vk_grant');
    expect(opened.text).not.toContain(grant.split('=')[1]);

    const created = await createVault('Granted', `${cookie}; ${grant}`);
    expect(created.body).toMatchObject({ ok: true, value: { name: 'Granted' } });

    const closed = await f.post('/dashboard/grant/close', undefined, { cookie: `${cookie}; ${grant}` });
    expect(closed.body).toEqual({ ok: true, value: { closed: true } });
    expect(cookiesOf(closed).some((c) => c.startsWith('vk_grant=;') && c.includes('Max-Age=0'))).toBe(true);
    expect((await createVault('After close', `${cookie}; ${grant}`)).body).toMatchObject({ ok: false, error: { error: 'grant_required' } });
  });

  it('end when the engine locks', async () => {
    const cookie = await f.login();
    const grant = cookiePair(await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE }, { cookie }), 'vk_grant');
    await f.post('/admin/v1/lock', {}, { cookie });
    await f.t.admin.unlock({ passphrase: TEST_PASSPHRASE });
    const res = await f.post('/admin/v1/createVault', { vault: { name: 'After lock' } }, { cookie: `${cookie}; ${grant}` });
    expect(res.body).toMatchObject({ ok: false, error: { error: 'grant_required' } });
  });
});

describe('static files', () => {
  it('never leave the renderer directory', async () => {
    const cookie = await f.login();
    symlinkSync(join(f.rendererDir, '..', 'outside.txt'), join(f.rendererDir, 'assets', 'link.txt'));
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e%2f%2e%2e%2foutside.txt', '/assets/..%5c..%5coutside.txt', '/assets/link.txt', '/assets', '/%00']) {
      const res = await f.get(path, { cookie });
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('not part of the dashboard');
    }
  });

  it('refuse query strings outside the login link', async () => {
    const cookie = await f.login();
    expect((await f.get('/?x=1', { cookie })).status).toBe(400);
    expect((await f.post('/admin/v1/status?session=x', {}, { cookie })).status).toBe(400);
  });
});
