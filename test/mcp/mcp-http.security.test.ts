/**
 * `valetkey mcp --http`: the Streamable HTTP transport on loopback. Web pages and DNS rebinding are
 * refused before the MCP layer (Host, Origin, no CORS), callers without the server's secret get
 * nothing, the listener is on 127.0.0.1 only, and the official SDK client with the secret calls a
 * tool. Each refusal is checked for its side effect: no tool ran (no audit row appeared).
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { rawRequest, type AgentResponse, type EndpointTarget } from '../helpers/agent-client.js';
import { PROCESS_SETUP_TIMEOUT_MS } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';
import { RecordingTransport, resultText, startHttpMcp, type HttpMcpProcess } from './mcp-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-MCP-http-deploy-0b44e1f93a';
const MCP_SECRET = 'vkmcp_test-secret-for-the-http-transport-0123456789';
const DEPLOY = 'vk://Ops/Deploy/api_key';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
const CALL_GET_SECRET = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_secret', arguments: { reference: DEPLOY, reason: 'raw probe' } } });

describe.skipIf(keychain.skip)(`valetkey mcp --http ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let server: HttpMcpProcess;
  let target: EndpointTarget;
  let tokenId: string;

  beforeAll(async () => {
    fx = await openDaemonFixture();
    const ops = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Ops' } });
    await fx.person.createEntry({ grant: fx.grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: SECRET } } });
    const created = await fx.person.createToken({ grant: fx.grant, token: { name: 'http-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    tokenId = created.token.id;
    server = await startHttpMcp(fx.home, { VALETKEY_ENROLL_CODE: created.enrollmentCode, VALETKEY_AGENT_NAME: 'http-bot', VALETKEY_MCP_SECRET: MCP_SECRET });
    target = { via: 'tcp', port: server.port };
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    await fx?.close();
  });

  function post(headers: readonly string[], body = CALL_GET_SECRET, setHost = true): Promise<AgentResponse> {
    return rawRequest(target, { method: 'POST', path: '/mcp', setHost, headers: ['Content-Type', 'application/json', 'Accept', 'application/json, text/event-stream', ...headers], body });
  }

  async function reads(): Promise<number> {
    return (await fx.person.queryAudit({ action: 'secret.read', limit: 100 })).rows.length;
  }

  it('listens on 127.0.0.1 only and says so', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/mcp`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && !i.internal && i.family === 'IPv4');
    if (external === undefined) return; // no other interface on this machine
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: external.address, port: server.port });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('refuses a foreign Host (DNS rebinding) with 403, a missing or doubled Host with 400, before anything runs', async () => {
    const auth = ['Authorization', `Bearer ${MCP_SECRET}`];
    const evil = await post(['Host', `evil.example:${server.port}`, ...auth], CALL_GET_SECRET, false);
    expect([evil.status, evil.body.error]).toEqual([403, 'forbidden_host']);
    const otherPort = await post(['Host', `127.0.0.1:${server.port + 1}`, ...auth], CALL_GET_SECRET, false);
    expect(otherPort.status).toBe(403);
    const missing = await post(auth, CALL_GET_SECRET, false);
    expect([missing.status, missing.body.error]).toEqual([400, 'bad_host']);
    const doubled = await post(['Host', `127.0.0.1:${server.port}`, ...auth]);
    expect([doubled.status, doubled.body.error]).toEqual([400, 'bad_host']);
    expect(await reads()).toBe(0);
  });

  it('refuses any request from a web page (Origin), even with the secret, and never sends CORS headers', async () => {
    const auth = ['Authorization', `Bearer ${MCP_SECRET}`];
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port}`]) {
      const res = await post(['Origin', origin, ...auth]);
      expect([res.status, res.body.error]).toEqual([403, 'forbidden_origin']);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const preflight = await rawRequest(target, {
      method: 'OPTIONS',
      path: '/mcp',
      headers: ['Origin', 'https://evil.example', 'Access-Control-Request-Method', 'POST', 'Access-Control-Request-Headers', 'authorization,content-type'],
    });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(await reads()).toBe(0);
  });

  it('answers nothing without this server’s secret', async () => {
    const none = await post([]);
    expect([none.status, none.body.error]).toEqual([401, 'invalid_token']);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
    const wrong = await post(['Authorization', `Bearer ${MCP_SECRET}x`]);
    expect(wrong.status).toBe(401);
    const init = await post([], INITIALIZE);
    expect(init.status).toBe(401);
    expect(JSON.stringify(none.body)).not.toContain(SECRET);
    expect(await reads()).toBe(0);
  });

  it('takes only JSON POSTs on /mcp', async () => {
    const auth = ['Authorization', `Bearer ${MCP_SECRET}`];
    const get = await rawRequest(target, { method: 'GET', path: '/mcp', headers: [...auth, 'Accept', 'text/event-stream'] });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    const plain = await rawRequest(target, { method: 'POST', path: '/mcp', headers: [...auth, 'Content-Type', 'text/plain'], body: CALL_GET_SECRET });
    expect(plain.status).toBe(415);
    const elsewhere = await rawRequest(target, { method: 'POST', path: '/other', headers: [...auth, 'Content-Type', 'application/json'], body: CALL_GET_SECRET });
    expect(elsewhere.status).toBe(404);
    expect(await reads()).toBe(0);
  });

  it('the official SDK client with the secret lists the tools and reads a secret; the token never reaches it', async () => {
    const transport = new RecordingTransport(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${MCP_SECRET}` } } }));
    const client = new Client({ name: 'valetkey-http-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['get_secret', 'list_entries', 'list_vaults', 'request_access', 'use_secret']);
      const result = await client.callTool({ name: 'get_secret', arguments: { reference: DEPLOY, reason: 'mcp http: deploy release 3.2' } });
      expect(resultText(result)).toBe(SECRET);
      const rows = (await fx.person.queryAudit({ action: 'secret.read', limit: 10 })).rows;
      expect(rows).toEqual([expect.objectContaining({ agent: 'http-bot', tokenId, outcome: 'allowed', reason: 'mcp http: deploy release 3.2' })]);
      expect(transport.text()).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/);
    } finally {
      await client.close();
    }
  });

  it('the SDK client without the secret cannot connect', async () => {
    const client = new Client({ name: 'intruder', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(server.url)))).rejects.toThrow();
  });

  it('stops on SIGTERM with status 0, revoking the token it enrolled, and never printed the token', async () => {
    expect(await server.stop()).toBe(0);
    expect((await fx.person.listTokens({ status: 'revoked' })).map((t) => t.id)).toContain(tokenId);
    expect(server.output()).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/);
    expect(server.output()).not.toContain(SECRET);
  });
});
