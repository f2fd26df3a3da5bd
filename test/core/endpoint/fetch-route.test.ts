/**
 * POST /v1/fetch against a real engine and a real target server on loopback: placeholders filled
 * in the URL, headers and body; the answer redacted (value, base64, URL-encoded); `secret.use`
 * rows committed before the request left; limits on size, time and redirects.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../helpers/agent-client.js';
import { startTargetServer, type TargetServer } from '../../helpers/target-server.js';
import { SECRETS, enrolledToken, openEndpointFixture, type EndpointFixture } from './endpoint-fixture.js';
import { allowHosts, fetchVia } from './fetch-helpers.js';

let fx: EndpointFixture;
let agent: AgentClient;
let target: TargetServer;

beforeEach(async () => {
  fx = await openEndpointFixture({ approvalTimeoutMs: 1500 });
  agent = await AgentClient.create(fx.tcp);
  target = await startTargetServer();
  await allowHosts(fx, 'Bank', [target.host]);
  await allowHosts(fx, 'Payroll API', [target.host]);
});
afterEach(async () => {
  await target.close();
  await fx.close();
});

describe('POST /v1/fetch', () => {
  it('fills placeholders, sends the request, and redacts every form of the value from the answer', async () => {
    const { accessToken, tokenId } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, {
      method: 'POST',
      url: `${target.url}/v1/charge?key={{ vk://Accounting/Payroll%20API/api_key }}`,
      headers: { Authorization: 'Bearer {{vk://Accounting/Bank/password}}', 'X-Basic': `Basic ${Buffer.from(`acme:${SECRETS.bank}`).toString('base64')}` },
      body: { note: 'pay {{vk://Accounting/Bank/password}}' },
    });
    expect(res.status, res.text).toBe(200);
    // The target got the real values.
    const got = target.received[0];
    expect(got?.headers.authorization).toBe(`Bearer ${SECRETS.bank}`);
    expect(got?.url).toBe(`/v1/charge?key=${encodeURIComponent(SECRETS.payroll)}`);
    expect(JSON.parse(got?.body ?? '{}')).toEqual({ note: `pay ${SECRETS.bank}` });
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['accept-encoding']).toBe('identity');
    // The agent got the echo with every form of the values redacted.
    expect(res.body).toMatchObject({ status: 200, bodyEncoding: 'utf8' });
    expect(res.body.redactions).toBeGreaterThanOrEqual(4);
    expect(res.text).not.toContain(SECRETS.bank);
    expect(res.text).not.toContain(SECRETS.payroll);
    expect(res.text).not.toContain(Buffer.from(`acme:${SECRETS.bank}`).toString('base64').slice(4, 20));
    const echoed = JSON.parse(res.body.body as string) as { headers: Record<string, string>; url: string };
    expect(echoed.headers.authorization).toBe('Bearer [REDACTED:vk://Accounting/Bank/password]');
    expect(echoed.url).toBe('/v1/charge?key=[REDACTED:vk://Accounting/Payroll%20API/api_key]');
    // Audited as use, before the request left.
    const rows = await fx.auditRows('secret.use');
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ outcome: 'allowed', tokenId, reason: 'sync the ledger', keyThumbprint: agent.jkt, detail: { method: 'POST', host: target.host } });
    expect(JSON.stringify(rows)).not.toContain(SECRETS.bank);
  });

  it('lets a use-only token fetch but not read', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const read = await agent.call('POST', '/v1/resolve', { token: accessToken, json: { refs: ['vk://Accounting/Bank/password'], reason: 'peek' } });
    expect([read.status, read.body.error]).toEqual([403, 'insufficient_scope']);
    const use = await fetchVia(agent, accessToken, { url: `${target.url}/ok`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect(use.status).toBe(200);
  });

  it('redacts values split into headers of the answer and in non-text bodies', async () => {
    await target.close();
    target = await startTargetServer((req, res) => {
      const key = String(req.headers['x-key']);
      res.writeHead(201, { 'x-echo': key, 'set-cookie': [`a=${key}`, 'b=1'], 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(key), Buffer.from([0xc3])]));
    });
    await allowHosts(fx, 'Bank', [target.host]);
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${target.url}/bin`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(201);
    expect(res.body.headers['x-echo']).toBe('[REDACTED:vk://Accounting/Bank/password]');
    expect(res.body.headers['set-cookie']).toEqual(['a=[REDACTED:vk://Accounting/Bank/password]', 'b=1']);
    expect(res.body.bodyEncoding).toBe('base64');
    const bytes = Buffer.from(res.body.body as string, 'base64');
    expect(bytes.includes(Buffer.from(SECRETS.bank))).toBe(false);
    expect(bytes.includes(Buffer.from('[REDACTED:vk://Accounting/Bank/password]'))).toBe(true);
  });

  it('does not follow redirects: the 3xx comes back, and the other host gets nothing', async () => {
    const elsewhere = await startTargetServer();
    await target.close();
    target = await startTargetServer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    await allowHosts(fx, 'Bank', [target.host]);
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${target.url}/r`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect(res.body).toMatchObject({ status: 302, headers: { location: `${elsewhere.url}/steal` } });
    expect(elsewhere.received).toHaveLength(0);
    await elsewhere.close();
  });

  it('refuses an answer over 1 MiB with upstream_failed', async () => {
    await target.close();
    target = await startTargetServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(1024 * 1024 + 10));
    });
    await allowHosts(fx, 'Bank', [target.host]);
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${target.url}/big?k={{vk://Accounting/Bank/password}}` });
    expect([res.status, res.body.error]).toEqual([502, 'upstream_failed']);
    expect(res.text).not.toContain(SECRETS.bank);
  });

  it('gives up after 10 s on a target that never answers', async () => {
    const silent: Server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await allowHosts(fx, 'Bank', [host]);
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const started = Date.now();
    const res = await fetchVia(agent, accessToken, { url: `http://${host}/slow`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect([res.status, res.body.error]).toEqual([502, 'upstream_failed']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500);
    expect(Date.now() - started).toBeLessThan(20_000);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }, 30_000);
});
