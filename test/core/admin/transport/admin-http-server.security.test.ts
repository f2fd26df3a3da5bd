import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../../../src/core/admin/transport/admin-http-server.js';
import { ListenerRefused } from '../../../../src/core/net/listener-checks.js';
import { json, probe, rawRequest, type Answer, type Probe } from './http-probe.js';
import { StandInEngine } from './stand-in-engine.js';

const SECRET = 'test-session-secret-0123456789abcdef';

let base: string;
let engine: StandInEngine;
let server: AdminServer;
let port: number;
let socketPath: string;
const answers: Answer[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'vk-admin-http-'));
  engine = new StandInEngine();
  server = await startAdminServer({
    dispatch: engine.dispatch,
    events: engine.events,
    sessionSecret: SECRET,
    tcp: { host: '127.0.0.1', port: 0 },
    socketPath: join(base, 'run', 'valetkey', 'admin.sock'),
  });
  port = server.tcpPort ?? 0;
  socketPath = server.socketPath ?? '';
});
afterAll(async () => {
  await server.close();
  rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  engine.calls.length = 0;
});

/** Every answer is kept so one test can check headers common to all of them. */
async function send(p: Partial<Probe> & { readonly path: string }): Promise<Answer> {
  const answer = await probe({ port, ...p });
  answers.push(answer);
  return answer;
}

const good = (extra: Record<string, string> = {}): Record<string, string> => ({
  host: `127.0.0.1:${port}`,
  'x-valetkey-session': SECRET,
  'content-type': 'application/json',
  ...extra,
});
const errorCode = (a: Answer): unknown => (json(a) as { error?: { error?: unknown } }).error?.error;

describe('admin HTTP listener: request checks', () => {
  it('answers a well-formed call (the control for every refusal below)', async () => {
    const a = await send({ method: 'POST', path: '/admin/v1/status', headers: good(), body: '{}' });
    expect(a.status).toBe(200);
    expect(json(a)).toEqual({ ok: true, value: { method: 'status', params: {} } });
    expect(engine.calls).toHaveLength(1);
  });

  it('refuses Host evil.example:P with 403 before auth, even with the secret', async () => {
    const withSecret = await send({ method: 'POST', path: '/admin/v1/status', headers: good({ host: `evil.example:${port}` }), body: '{}' });
    expect(withSecret.status).toBe(403);
    expect(errorCode(withSecret)).toBe('forbidden_host');
    const withoutSecret = await send({ method: 'POST', path: '/admin/v1/status', headers: { host: `evil.example:${port}` }, body: '{}' });
    expect(errorCode(withoutSecret)).toBe('forbidden_host');
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses a missing Host and a doubled Host with 400', async () => {
    const body = '{}';
    const base = `POST /admin/v1/status HTTP/1.1\nx-valetkey-session: ${SECRET}\ncontent-type: application/json\ncontent-length: ${body.length}\nconnection: close\n`;
    const missing = await rawRequest(port, `${base}\n${body}`);
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('bad_host');
    const doubled = await rawRequest(port, `${base}Host: 127.0.0.1:${port}\nHost: evil.example\n\n${body}`);
    expect(doubled.status).toBe(400);
    expect(doubled.body).toContain('bad_host');
    const single = await rawRequest(port, `${base}Host: 127.0.0.1:${port}\n\n${body}`);
    expect(single.status).toBe(200);
    expect(engine.calls).toHaveLength(1);
  });

  it('refuses Origin https://evil.example and Origin null with 403 even with the right secret', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port}`]) {
      const a = await send({ method: 'POST', path: '/admin/v1/status', headers: good({ origin }), body: '{}' });
      expect(a.status).toBe(403);
      expect(errorCode(a)).toBe('forbidden_origin');
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses a text/plain POST (and one without Content-Type) with 415, nothing dispatched', async () => {
    const plain = await send({ method: 'POST', path: '/admin/v1/lock', headers: good({ 'content-type': 'text/plain' }), body: '{}' });
    expect(plain.status).toBe(415);
    const form = await send({ method: 'POST', path: '/admin/v1/lock', headers: good({ 'content-type': 'application/x-www-form-urlencoded' }), body: '{}' });
    expect(form.status).toBe(415);
    const none = await send({ method: 'POST', path: '/admin/v1/lock', headers: { host: `127.0.0.1:${port}`, 'x-valetkey-session': SECRET }, body: '{}' });
    expect(none.status).toBe(415);
    const charset = await send({ method: 'POST', path: '/admin/v1/lock', headers: good({ 'content-type': 'Application/JSON; charset=utf-8' }), body: '{}' });
    expect(charset.status).toBe(200);
    expect(engine.calls.map((c) => c.method)).toEqual(['lock']);
  });

  it('refuses a 70 KiB body with 413, declared or chunked, nothing dispatched', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    const declared = await send({ method: 'POST', path: '/admin/v1/status', headers: good(), body: big });
    expect(declared.status).toBe(413);
    const chunked = await send({ method: 'POST', path: '/admin/v1/status', headers: good(), body: big, chunked: true });
    expect(chunked.status).toBe(413);
    expect(errorCode(chunked)).toBe('payload_too_large');
    const justUnder = await send({ method: 'POST', path: '/admin/v1/status', headers: good(), body: JSON.stringify({ pad: 'x'.repeat(60 * 1024) }), chunked: true });
    expect(justUnder.status).toBe(200);
    expect(engine.calls).toHaveLength(1);
  });

  it('answers OPTIONS (preflight or not) without any Access-Control-* header', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      path: '/admin/v1/createVault',
      headers: { host: `127.0.0.1:${port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-valetkey-session, content-type' },
    });
    const plain = await send({ method: 'OPTIONS', path: '/admin/v1/createVault', headers: good() });
    expect(preflight.status).toBe(403);
    expect(plain.status).toBe(405);
    for (const a of [preflight, plain]) {
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses a wrong, truncated, extended or missing session secret with 401', async () => {
    for (const secret of ['wrong', SECRET.slice(0, -1), `${SECRET}x`, `${SECRET.slice(0, -1)}F`, undefined]) {
      const headers = good(secret === undefined ? {} : { 'x-valetkey-session': secret });
      if (secret === undefined) delete headers['x-valetkey-session'];
      const a = await send({ method: 'POST', path: '/admin/v1/status', headers, body: '{}' });
      expect(a.status).toBe(401);
      expect(errorCode(a)).toBe('unauthorized');
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('routes only the contract: unknown method 404, GET on a method 405, query string 400, non-object params 400', async () => {
    expect((await send({ method: 'POST', path: '/admin/v1/dropEverything', headers: good(), body: '{}' })).status).toBe(404);
    expect((await send({ method: 'POST', path: '/admin/v1/constructor', headers: good(), body: '{}' })).status).toBe(404);
    expect((await send({ method: 'POST', path: '/', headers: good(), body: '{}' })).status).toBe(404);
    const get = await send({ method: 'GET', path: '/admin/v1/status', headers: good() });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await send({ method: 'POST', path: '/admin/v1/status?session=abc', headers: good(), body: '{}' })).status).toBe(400);
    for (const body of ['[1]', 'null', '"x"', '']) {
      expect((await send({ method: 'POST', path: '/admin/v1/status', headers: good(), body })).status).toBe(400);
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('does not echo a malformed body back in the error', async () => {
    const a = await send({ method: 'POST', path: '/admin/v1/unlock', headers: good(), body: '{"passphrase": "correct horse battery' });
    expect(a.status).toBe(400);
    expect(errorCode(a)).toBe('invalid_request');
    expect(a.body).not.toContain('horse');
  });

  it('marks every answer Cache-Control: no-store and nosniff', async () => {
    await send({ method: 'GET', path: '/nowhere', headers: good() });
    expect(answers.length).toBeGreaterThan(20);
    for (const a of answers) {
      expect(a.headers['cache-control']).toBe('no-store');
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('admin HTTP listener: where it listens', () => {
  it('makes the socket 0600 in a 0700 directory, and answers on it with Host localhost only', async () => {
    expect(lstatSync(socketPath).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(base, 'run', 'valetkey')).mode & 0o777).toBe(0o700);
    const ok = await probe({ socketPath, method: 'POST', path: '/admin/v1/status', headers: good({ host: 'localhost' }), body: '{}' });
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const evil = await probe({ socketPath, method: 'POST', path: '/admin/v1/status', headers: good({ host: 'evil.example' }), body: '{}' });
    expect(evil.status).toBe(403);
    expect(engine.calls.map((c) => c.ctx)).toEqual([{ via: 'socket', personPresent: false }]);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;

  it.skipIf(external === undefined)('is not reachable on a non-loopback address (skipped when the machine has none)', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, external ?? '');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('refuses to start with a 0755 socket directory, a short secret, or a non-loopback host', async () => {
    const open = join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    const common = { dispatch: engine.dispatch, events: engine.events, sessionSecret: SECRET };
    await expect(startAdminServer({ ...common, socketPath: join(open, 'admin.sock') })).rejects.toThrow(ListenerRefused);
    expect(existsSync(join(open, 'admin.sock'))).toBe(false);
    await expect(startAdminServer({ ...common, sessionSecret: 'short', tcp: { host: '127.0.0.1', port: 0 } })).rejects.toThrow(/at least 16/);
    const anyHost = { host: '0.0.0.0', port: 0 } as unknown as { host: '127.0.0.1'; port: number };
    await expect(startAdminServer({ ...common, tcp: anyHost })).rejects.toThrow(ListenerRefused);
  });

  it('refuses to start a second engine on a live socket, and removes its socket on close', async () => {
    const common = { dispatch: engine.dispatch, events: engine.events, sessionSecret: SECRET };
    await expect(startAdminServer({ ...common, socketPath })).rejects.toThrow(/another engine is listening/);
    const path = join(base, 'second', 'admin.sock');
    const second = await startAdminServer({ ...common, socketPath: path });
    expect(existsSync(path)).toBe(true);
    await second.close();
    expect(existsSync(path)).toBe(false);
  });
});

describe('admin HTTP listener: event streams', () => {
  it('serves text/event-stream with no-store, and caps concurrent streams', async () => {
    const { request } = await import('node:http');
    const open: { destroy(): void }[] = [];
    const openStream = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/admin/v1/events', headers: good(), agent: false }, (res) => {
          open.push(res);
          if (res.statusCode === 200) {
            expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
            expect(res.headers['cache-control']).toBe('no-store');
          }
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 33; i++) statuses.push(await openStream());
      expect(statuses.slice(0, 32).every((s) => s === 200)).toBe(true);
      expect(statuses[32]).toBe(429);
      expect(engine.subscribers).toBe(32);
    } finally {
      for (const s of open) s.destroy();
    }
    const post = await send({ method: 'POST', path: '/admin/v1/events', headers: good(), body: '{}' });
    expect(post.status).toBe(405);
  });
});
