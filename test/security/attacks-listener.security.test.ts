/**
 * docs/security.md attacks 1-9, the listener: each request carries a VALID token and proof, spoiled by
 * one thing a web page or a remote host would do. None reaches authentication, so each leaves no
 * audit row, counts no use of the token and starts nothing (no approval, no device request).
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointServices } from '../../src/core/daemon/engine-endpoint.js';
import { startAgentEndpoint } from '../../src/core/endpoint/agent-endpoint.js';
import { ListenerRefused } from '../../src/core/net/listener-checks.js';
import { rawRequest, type AgentResponse, type EndpointTarget } from '../helpers/agent-client.js';
import { tempHome } from '../helpers/temp-home.js';
import { BANK_REF, GITHUB_REF, expectNoRows, expectRefused, openAttackFixture, type AttackFixture, type Enrolled } from './attack-fixture.js';

let fx: AttackFixture;
let dpop: Enrolled;
let personal: Enrolled;
let before: number;
beforeAll(async () => {
  fx = await openAttackFixture();
  dpop = await fx.enrolled();
  personal = await fx.enrolled({ vaults: [fx.personal.id] });
});
afterAll(async () => {
  await fx.close();
});
beforeEach(async () => {
  before = await fx.mark();
});
afterEach(async () => {
  // Whatever was refused above it left nothing behind.
  expectNoRows(await fx.rowsSince(before));
  expect(fx.t.engine.tokens.record(dpop.tokenId)?.uses).toBe(0);
  expect(fx.t.engine.approvals.list('pending')).toEqual([]);
  expect(fx.t.engine.device.list('pending')).toEqual([]);
});

interface Spoil {
  readonly headers?: readonly string[];
  readonly contentType?: string;
  readonly body?: string;
  readonly path?: string;
  readonly setHost?: boolean;
  readonly ref?: string;
  readonly as?: Enrolled;
}

/** A resolve with a valid token and proof, spoiled as asked. */
async function spoiled(target: EndpointTarget, o: Spoil = {}): Promise<AgentResponse> {
  const who = o.as ?? dpop;
  const client = who.agent.via(target);
  const proof = await client.proof('POST', '/v1/resolve', { accessToken: who.token });
  const headers = ['Authorization', `DPoP ${who.token}`, 'DPoP', proof, 'Content-Type', o.contentType ?? 'application/json', ...(o.headers ?? [])];
  const body = o.body ?? JSON.stringify({ refs: [o.ref ?? BANK_REF], reason: 'attack' });
  return rawRequest(target, { method: 'POST', path: o.path ?? '/v1/resolve', headers, body, ...(o.setHost === undefined ? {} : { setHost: o.setHost }) });
}

describe.each(['tcp', 'socket'] as const)('over %s', (via) => {
  const target = (): EndpointTarget => (via === 'tcp' ? fx.tcp : fx.socket);
  const port = (): number => fx.endpoint.port;
  const host = (): string => (via === 'tcp' ? `127.0.0.1:${port()}` : 'localhost');

  it(`attack 1: Host evil.example:P → 403 forbidden_host before auth (${via})`, async () => {
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', `evil.example:${port()}`] }), 403, 'forbidden_host');
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', `127.0.0.1.evil.example:${port()}`] }), 403, 'forbidden_host');
  });

  it(`attack 2: a missing or doubled Host → 400 bad_host (${via})`, async () => {
    expectRefused(await spoiled(target(), { setHost: false }), 400, 'bad_host');
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', host(), 'Host', host()] }), 400, 'bad_host');
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', host(), 'Host', 'evil.example'] }), 400, 'bad_host');
  });

  it(`attack 3: Origin https://evil.example with a valid token and proof → 403 (${via})`, async () => {
    expectRefused(await spoiled(target(), { headers: ['Origin', 'https://evil.example'] }), 403, 'forbidden_origin');
    // Also for a vault that asks first: no prompt is shown to the person for a web page.
    expectRefused(await spoiled(target(), { as: personal, ref: GITHUB_REF, headers: ['Origin', 'https://evil.example'] }), 403, 'forbidden_origin');
  });

  it(`attack 4: Origin null → 403 (${via})`, async () => {
    expectRefused(await spoiled(target(), { headers: ['Origin', 'null'] }), 403, 'forbidden_origin');
  });

  it(`attack 5: a text/plain POST → 415 with no side effect (${via})`, async () => {
    expectRefused(await spoiled(target(), { contentType: 'text/plain' }), 415, 'unsupported_media_type');
    expectRefused(await spoiled(target(), { as: personal, ref: GITHUB_REF, contentType: 'text/plain' }), 415, 'unsupported_media_type');
    // The simple-request forms a page can send cross-origin without a preflight.
    const form = await dpop.agent.via(target()).proof('POST', '/v1/device_authorization');
    const device = await rawRequest(target(), {
      method: 'POST',
      path: '/v1/device_authorization',
      headers: ['DPoP', form, 'Content-Type', 'text/plain'],
      body: `client_id=x&scope=vault:${fx.accounting.id}:read&reason=r`,
    });
    expectRefused(device, 415, 'unsupported_media_type');
    expectRefused(await spoiled(target(), { contentType: 'multipart/form-data; boundary=x', body: '--x--' }), 415, 'unsupported_media_type');
  });

  it(`attack 6: an OPTIONS preflight gets no CORS headers (${via})`, async () => {
    const preflight = await rawRequest(target(), {
      method: 'OPTIONS',
      path: '/v1/resolve',
      headers: ['Origin', 'https://evil.example', 'Access-Control-Request-Method', 'POST', 'Access-Control-Request-Headers', 'authorization,dpop,content-type'],
    });
    expectRefused(preflight, 403, 'forbidden_origin');
    expectRefused(await rawRequest(target(), { method: 'OPTIONS', path: '/v1/resolve' }), 405, 'method_not_allowed');
    // Not on a success either.
    const metadata = await rawRequest(target(), { method: 'GET', path: '/.well-known/oauth-authorization-server' });
    expect(metadata.status).toBe(200);
    expect(Object.keys(metadata.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it(`attack 8: ?access_token= → 400, the token in no answer and no row (${via})`, async () => {
    const res = await rawRequest(target(), { method: 'GET', path: `/v1/vaults?access_token=${dpop.token}` });
    expectRefused(res, 400, 'invalid_request');
    expect(res.text).not.toContain(dpop.token);
    expectRefused(await spoiled(target(), { path: `/v1/resolve?access_token=${dpop.token}` }), 400, 'invalid_request');
    const audit = JSON.stringify((await fx.t.admin.queryAudit({ limit: 500 })).rows);
    expect(audit).not.toContain(dpop.token.split('.')[2]);
  });
});

describe('attack 7', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

  it('attack 7: a connection on a non-loopback address is refused; the port is bound to 127.0.0.1 only', async () => {
    if (external !== undefined) expect(await tryConnect(external, fx.endpoint.port)).toBe('ECONNREFUSED');
    expect(await tryConnect('127.0.0.1', fx.endpoint.port)).toBe('connected');
    // The kernel's own table: the listener's local address is 127.0.0.1 (0100007F), never 0.0.0.0.
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && cols[1]?.endsWith(`:${fx.endpoint.port.toString(16).toUpperCase().padStart(4, '0')}`));
    expect(listening.map((cols) => cols[1]?.split(':')[0])).toEqual(['0100007F']);
  });
});

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('attack 9', () => {
  async function startIn(dir: string, home: string): Promise<unknown> {
    const discoveryFile = join(home, 'discovery.json');
    const start = startAgentEndpoint({ services: () => endpointServices(fx.t.engine), tcpPort: 0, socketPath: join(dir, 'agent.sock'), discoveryFile });
    const outcome = await start.then(async (ep) => (await ep.close(), 'started'), (e: unknown) => e);
    expect(existsSync(discoveryFile)).toBe(false);
    expect(existsSync(join(dir, 'agent.sock'))).toBe(false);
    return outcome;
  }

  it('attack 9: a socket directory of mode 0755, or owned by someone else → the listener does not start', async () => {
    const home = tempHome('vk-a9-');
    try {
      const open = join(home.dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o755);
      const refused = await startIn(open, home.dir);
      expect(refused).toBeInstanceOf(ListenerRefused);
      expect((refused as Error).message).toMatch(/mode 0755/);
      // Someone else's directory can only be made by root (CI runs as root in its container).
      if (process.getuid?.() === 0) {
        const foreign = join(home.dir, 'foreign');
        mkdirSync(foreign, { mode: 0o700 });
        chownSync(foreign, 65534, 65534);
        const notOurs = await startIn(foreign, home.dir);
        expect(notOurs).toBeInstanceOf(ListenerRefused);
        expect((notOurs as Error).message).toMatch(/owned by uid 65534/);
      }
      // The control: a directory of our own, 0700, is accepted.
      const ours = join(home.dir, 'ours');
      mkdirSync(ours, { mode: 0o700 });
      expect(await startIn(ours, home.dir)).toBe('started');
    } finally {
      home.cleanup();
    }
  });
});
