/**
 * Attacks on POST /v1/fetch (docs/security.md attack 34 and friends). Each checks what happened to the
 * secret (nothing left: every target server counts connections) and to the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../helpers/agent-client.js';
import { startTargetServer, type TargetServer } from '../../helpers/target-server.js';
import { SECRETS, enrolledToken, openEndpointFixture, type EndpointFixture } from './endpoint-fixture.js';
import { allowHosts, fetchVia } from './fetch-helpers.js';

let fx: EndpointFixture;
let agent: AgentClient;
let allowed: TargetServer;
let other: TargetServer;

beforeEach(async () => {
  fx = await openEndpointFixture({ approvalTimeoutMs: 1500 });
  agent = await AgentClient.create(fx.tcp);
  allowed = await startTargetServer();
  other = await startTargetServer();
  await allowHosts(fx, 'Bank', [allowed.host]);
});
afterEach(async () => {
  await Promise.all([allowed.close(), other.close()]);
  await fx.close();
});

function nothingSent(): void {
  expect(allowed.connections()).toBe(0);
  expect(other.connections()).toBe(0);
}

async function refusals(code: string): Promise<number> {
  return (await fx.auditRows('secret.use')).filter((r) => r.outcome === 'refused' && r.errorCode === code).length;
}

describe('/v1/fetch refuses, and sends nothing anywhere', () => {
  it('to a host not on the entry’s list: 403 host_not_allowed, audited', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${other.url}/collect`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect([res.status, res.body.error]).toEqual([403, 'host_not_allowed']);
    nothingSent();
    expect(await refusals('host_not_allowed')).toBe(1);
    expect((await fx.auditRows('secret.use')).some((r) => r.outcome === 'allowed')).toBe(false);
  });

  it('to the right host name on another port', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `http://127.0.0.1:${other.port}/x?k={{vk://Accounting/Bank/password}}` });
    expect(res.body.error).toBe('host_not_allowed');
    nothingSent();
  });

  it('when one of two entries does not allow the host', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    // Payroll API has no allowed host at all.
    const res = await fetchVia(agent, accessToken, {
      url: `${allowed.url}/x`,
      headers: { 'X-A': '{{vk://Accounting/Bank/password}}', 'X-B': '{{vk://Accounting/Payroll%20API/api_key}}' },
    });
    expect(res.body.error).toBe('host_not_allowed');
    nothingSent();
  });

  it('with a placeholder in the host, or a user:password@ trick', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const inHost = await fetchVia(agent, accessToken, { url: 'http://{{vk://Accounting/Bank/password}}.127.0.0.1.nip.io/' });
    expect([inHost.status, inHost.body.error]).toEqual([400, 'invalid_request']);
    const userinfo = await fetchVia(agent, accessToken, { url: `http://${allowed.host}@127.0.0.1:${other.port}/?k={{vk://Accounting/Bank/password}}` });
    expect(userinfo.body.error).toBe('invalid_request');
    const backslash = await fetchVia(agent, accessToken, { url: `http://127.0.0.1:${other.port}\\@${allowed.host}/?k={{vk://Accounting/Bank/password}}` });
    expect(backslash.body.error).toBe('host_not_allowed');
    nothingSent();
  });

  it('over plain http to a host that is not loopback, even if allowed', async () => {
    await allowHosts(fx, 'Bank', ['api.example.com']);
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: 'http://api.example.com/x?k={{vk://Accounting/Bank/password}}' });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect(res.body.error_description).toContain('https');
  });

  it('without a reason, without a placeholder, or outside the scope', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const noReason = await fetchVia(agent, accessToken, { url: `${allowed.url}/?k={{vk://Accounting/Bank/password}}` }, null);
    expect([noReason.status, noReason.body.error]).toEqual([400, 'reason_required']);
    const plain = await fetchVia(agent, accessToken, { url: `${allowed.url}/open-proxy` });
    expect(plain.body.error).toBe('invalid_request');
    const personal = await fetchVia(agent, accessToken, { url: `${allowed.url}/?k={{vk://Personal/GitHub/api_key}}` });
    expect([personal.status, personal.body.error]).toEqual([403, 'insufficient_scope']);
    nothingSent();
  });

  it('when a value would break out of a header (a line break in the secret)', async () => {
    const { t } = fx;
    await t.admin.updateEntry({ grant: t.grant, vaultId: fx.accounting.id, entryId: fx.bank.id, changes: { fields: { username: 'acme', password: 'line1\r\nX-Evil: 1' } } });
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${allowed.url}/`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect(res.text).not.toContain('line1');
    nothingSent();
    expect((await fx.auditRows('secret.use')).some((r) => r.outcome === 'allowed')).toBe(false);
  });

  it('when the person denies the approval a sensitive vault asks for', async () => {
    await allowHosts(fx, 'GitHub', [allowed.host]);
    const { accessToken } = await enrolledToken(fx, agent, { vaults: [fx.personal.id], actions: ['use'] });
    const pending = fetchVia(agent, accessToken, { url: `${allowed.url}/`, headers: { Authorization: 'token {{vk://Personal/GitHub/api_key}}' } });
    const approval = await waitForApproval();
    expect(approval).toMatchObject({ action: 'use', vaultId: fx.personal.id, reason: 'sync the ledger' });
    await fx.approvals.decide(approval.id, 'deny');
    const res = await pending;
    expect([res.status, res.body.error]).toEqual([403, 'approval_denied']);
    nothingSent();
  });

  it('when the audit log cannot be written: 503, and the request never leaves', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    fx.breakAudit(true);
    const res = await fetchVia(agent, accessToken, { url: `${allowed.url}/`, headers: { 'X-Key': '{{vk://Accounting/Bank/password}}' } });
    fx.breakAudit(false);
    expect([res.status, res.body.error]).toEqual([503, 'audit_unavailable']);
    nothingSent();
    expect(res.text).not.toContain(SECRETS.bank);
  });
});

async function waitForApproval(): Promise<ReturnType<EndpointFixture['approvals']['list']>[number]> {
  for (let i = 0; i < 100; i += 1) {
    const [pending] = fx.approvals.list('pending');
    if (pending !== undefined) return pending;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no approval was asked for');
}
