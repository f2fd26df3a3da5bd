/**
 * docs/security.md "Listener" over real sockets: Host before anything else, Origin, media type, size,
 * OPTIONS, tokens in the query string, loopback only, and a socket directory that is not ours.
 * Attack tests 1-9. None of these requests reaches authentication, so none leaves an audit row
 * or counts a use of the token.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentEndpoint } from '../../../src/core/endpoint/agent-endpoint.js';
import { ListenerRefused } from '../../../src/core/net/listener-checks.js';
import { AgentClient, rawRequest, type AgentResponse, type EndpointTarget } from '../../helpers/agent-client.js';
import { tempHome } from '../../helpers/temp-home.js';
import { SECRETS, enrolledToken, openEndpointFixture, type EndpointFixture } from './endpoint-fixture.js';

let fx: EndpointFixture;
let agent: AgentClient;
let token: string;
let tokenId: string;
let auditCount: number;
beforeAll(async () => {
  fx = await openEndpointFixture();
  agent = await AgentClient.create(fx.tcp);
  ({ accessToken: token, tokenId } = await enrolledToken(fx, agent));
  auditCount = (await fx.auditRows()).length;
});
afterAll(async () => {
  await fx.close();
});

const RESOLVE_BODY = JSON.stringify({ refs: ['vk://Accounting/Bank/password'], reason: 'attack test' });

/** A resolve with a valid token and proof, spoiled by the given headers or body. */
async function spoiled(target: EndpointTarget, o: { headers?: string[]; body?: string; contentType?: string; path?: string; method?: string; setHost?: boolean }): Promise<AgentResponse> {
  const client = agent.via(target);
  const method = o.method ?? 'POST';
  const proof = await client.proof(method, '/v1/resolve', { accessToken: token });
  const headers = ['Authorization', `DPoP ${token}`, 'DPoP', proof, 'Content-Type', o.contentType ?? 'application/json', ...(o.headers ?? [])];
  return rawRequest(target, { method, path: o.path ?? '/v1/resolve', headers, body: o.body ?? RESOLVE_BODY, ...(o.setHost === undefined ? {} : { setHost: o.setHost }) });
}

function expectRefused(res: AgentResponse, status: number, error: string): void {
  expect([res.status, res.body?.error]).toEqual([status, error]);
  expect(res.text).not.toContain(SECRETS.bank);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
}

describe.each(['tcp', 'socket'] as const)('over %s', (via) => {
  const target = (): EndpointTarget => (via === 'tcp' ? fx.tcp : fx.socket);
  const port = (): number => fx.endpoint.port;

  it('1. refuses a foreign Host with 403 before auth', async () => {
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', `evil.example:${port()}`] }), 403, 'forbidden_host');
    if (via === 'socket') expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', `127.0.0.1:${port()}`] }), 403, 'forbidden_host');
  });

  it('2. refuses a missing or doubled Host with 400', async () => {
    expectRefused(await spoiled(target(), { setHost: false }), 400, 'bad_host');
    const host = via === 'tcp' ? `127.0.0.1:${port()}` : 'localhost';
    expectRefused(await spoiled(target(), { setHost: false, headers: ['Host', host, 'Host', host] }), 400, 'bad_host');
  });

  it('3-4. refuses any Origin, even with a valid token and proof', async () => {
    expectRefused(await spoiled(target(), { headers: ['Origin', 'https://evil.example'] }), 403, 'forbidden_origin');
    expectRefused(await spoiled(target(), { headers: ['Origin', 'null'] }), 403, 'forbidden_origin');
  });

  it('5. refuses a text/plain POST with 415, and a form on /v1/resolve', async () => {
    expectRefused(await spoiled(target(), { contentType: 'text/plain' }), 415, 'unsupported_media_type');
    expectRefused(await spoiled(target(), { contentType: 'application/x-www-form-urlencoded', body: 'refs=x&reason=y' }), 415, 'unsupported_media_type');
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const body = JSON.stringify({ refs: ['vk://Accounting/Bank/password'], reason: 'x', pad: 'p'.repeat(70_000) });
    expectRefused(await spoiled(target(), { body }), 413, 'payload_too_large');
  });

  it('6. answers OPTIONS with 405 and no CORS headers', async () => {
    const res = await rawRequest(target(), {
      method: 'OPTIONS',
      path: '/v1/resolve',
      headers: ['Origin', 'https://evil.example', 'Access-Control-Request-Method', 'POST'],
    });
    expectRefused(res, 403, 'forbidden_origin');
    expectRefused(await rawRequest(target(), { method: 'OPTIONS', path: '/v1/resolve' }), 405, 'method_not_allowed');
  });

  it('8. refuses a token in the query string with 400', async () => {
    const path = `/v1/vaults?access_token=${token}`;
    const res = await rawRequest(target(), { method: 'GET', path });
    expectRefused(res, 400, 'invalid_request');
    expect(res.text).not.toContain(token);
    expectRefused(await spoiled(target(), { path: '/v1/resolve?x=1' }), 400, 'invalid_request');
  });

  it('sends no-store and no CORS headers on success either', async () => {
    const res = await rawRequest(target(), { method: 'GET', path: '/.well-known/oauth-authorization-server', headers: ['Origin', 'https://evil.example'] });
    expectRefused(res, 403, 'forbidden_origin');
  });
});

describe('no side effects before authentication', () => {
  it('wrote no audit row and counted no use for any refused request above', async () => {
    const rows = await fx.auditRows();
    expect(rows.length).toBe(auditCount);
    expect(fx.tokens.record(tokenId)?.uses).toBe(0);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('7. loopback only', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(external === undefined)('refuses a connection on a non-loopback address', async () => {
    const result = await new Promise<string>((resolve) => {
      const socket = connect({ host: external, port: fx.endpoint.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(result).toBe('ECONNREFUSED');
  });
});

describe('9. socket directory checks', () => {
  // The factory's services are never used: the socket check fails first.
  it('does not start when the socket directory is 0755, and leaves no discovery file', async () => {
    const home = tempHome('vk-ep-');
    try {
      const dir = join(home.dir, 'run');
      mkdirSync(dir);
      chmodSync(dir, 0o755);
      const discoveryFile = join(home.dir, 'discovery.json');
      const start = startAgentEndpoint({ services: () => ({ nonceSecret: new Uint8Array(32) }) as never, tcpPort: 0, socketPath: join(dir, 'agent.sock'), discoveryFile });
      await expect(start).rejects.toBeInstanceOf(ListenerRefused);
      expect(existsSync(discoveryFile)).toBe(false);
    } finally {
      home.cleanup();
    }
  });

  it('does not start over a file it did not create, and leaves the file alone', async () => {
    const home = tempHome('vk-ep-');
    try {
      const dir = join(home.dir, 'run');
      mkdirSync(dir, { mode: 0o700 });
      const socketPath = join(dir, 'agent.sock');
      writeFileSync(socketPath, 'not ours');
      const start = startAgentEndpoint({ services: () => ({ nonceSecret: new Uint8Array(32) }) as never, tcpPort: 0, socketPath, discoveryFile: join(home.dir, 'd.json') });
      await expect(start).rejects.toThrow(/not a socket/);
      expect(existsSync(socketPath)).toBe(true);
    } finally {
      home.cleanup();
    }
  });
});
