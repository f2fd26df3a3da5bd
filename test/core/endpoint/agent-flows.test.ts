/**
 * Whole flows over real sockets against a real engine and the real services: enrollment, resolve
 * with its audit row, listing, revocation, the device flow, token exchange, approvals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../helpers/agent-client.js';
import { SECRETS, enrolledToken, openEndpointFixture, resolve, type EndpointFixture } from './endpoint-fixture.js';
import { dpopChallenge } from '../../helpers/dpop-challenge.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

let fx: EndpointFixture;
let agent: AgentClient;
beforeEach(async () => {
  fx = await openEndpointFixture({ approvalTimeoutMs: 1500 });
  agent = await AgentClient.create(fx.tcp);
});
afterEach(async () => {
  await fx.close();
});

describe('enrollment, resolve, revoke', () => {
  it('redeems an enrollment code with the agent key and resolves a secret with a reason, audited first', async () => {
    const { accessToken, tokenId } = await enrolledToken(fx, agent);
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank/password', `vk://${fx.accounting.id}/Payroll%20API/api_key`], 'reconcile March');
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual({ 'vk://Accounting/Bank/password': SECRETS.bank, [`vk://${fx.accounting.id}/Payroll%20API/api_key`]: SECRETS.payroll });
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await fx.auditRows('secret.read');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ actor: 'agent', tokenId, keyThumbprint: agent.jkt, outcome: 'allowed', reason: 'reconcile March', vaultId: fx.accounting.id, agent: 'accounting-bot' });
    }
    expect(rows.map((r) => r.field).sort()).toEqual(['api_key', 'password']);
    expect(JSON.stringify(rows)).not.toContain(SECRETS.bank);
    expect(JSON.stringify(rows)).not.toContain(accessToken);
  });

  it('works the same over the Unix socket, with proofs for http://localhost', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const overSocket = agent.via(fx.socket);
    const res = await resolve(overSocket, accessToken, ['vk://Accounting/Bank/username']);
    expect(res.status).toBe(200);
    expect(res.body.values['vk://Accounting/Bank/username']).toBe('acme');
  });

  it('answers the current TOTP code for ?attribute=otp', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank?attribute=otp']);
    expect(res.status).toBe(200);
    expect(res.body.values['vk://Accounting/Bank?attribute=otp']).toMatch(/^\d{6}$/);
    const seed = await resolve(agent, accessToken, ['vk://Accounting/Bank/totp']);
    expect(seed.status).toBe(400);
  });

  it('lists the vaults and entries the token can see, without values', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const vaults = await agent.call('GET', '/v1/vaults', { token: accessToken });
    expect(vaults.status).toBe(200);
    expect(vaults.body.vaults).toEqual([{ id: fx.accounting.id, name: 'Accounting', approval: { mode: 'none' }, entryCount: 2, actions: ['read'] }]);
    const entries = await agent.call('GET', '/v1/vaults/Accounting/entries', { token: accessToken });
    expect(entries.status).toBe(200);
    expect(entries.body.entries.map((e: { title: string }) => e.title)).toEqual(['Bank', 'Payroll API']);
    expect(entries.body.entries[0]).toMatchObject({ kind: 'login', fieldNames: ['username', 'password'], hasTotp: true, actions: ['read'] });
    expect(entries.text).not.toContain(SECRETS.bank);
    const other = await agent.call('GET', '/v1/vaults/Personal/entries', { token: accessToken });
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('insufficient_scope');
    const missing = await agent.call('GET', '/v1/vaults/Nowhere/entries', { token: accessToken });
    expect(missing.body.error).toBe('insufficient_scope');
    expect((await fx.auditRows('vault.list')).map((r) => r.outcome)).toEqual(['allowed']);
    expect((await fx.auditRows('entry.list')).map((r) => r.outcome).sort()).toEqual(['allowed', 'refused', 'refused']);
  });

  it('refuses the very next request after the person revokes the token', async () => {
    const { accessToken, tokenId } = await enrolledToken(fx, agent);
    expect((await resolve(agent, accessToken, ['vk://Accounting/Bank/password'])).status).toBe(200);
    await fx.tokens.revoke(tokenId, 'test');
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank/password']);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_token'));
    expect(res.text).not.toContain(SECRETS.bank);
  });

  it('lets an agent revoke its own token (RFC 7009), and answers 200 to garbage', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const revoked = await agent.call('POST', '/v1/revoke', { form: { token: accessToken }, proof: false });
    expect(revoked.status).toBe(200);
    expect((await resolve(agent, accessToken, ['vk://Accounting/Bank/password'])).status).toBe(401);
    const garbage = await agent.call('POST', '/v1/revoke', { json: { token: 'not-a-token' }, proof: false });
    expect(garbage.status).toBe(200);
  });

  it('enrolls a bearer token without a proof and uses it with the Bearer scheme', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { binding: 'bearer' });
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank/password'], 'script', { scheme: 'Bearer' });
    expect(res.status).toBe(200);
    const asDpop = await resolve(agent, accessToken, ['vk://Accounting/Bank/password'], 'script');
    expect(asDpop.status).toBe(401);
  });

  it('refuses a DPoP token enrolled without a proof', async () => {
    const created = await fx.tokens.create({ name: 'bot', vaults: [fx.accounting.id], actions: ['read'], lifespanSeconds: 3600 });
    const res = await agent.call('POST', '/v1/token', {
      form: { grant_type: 'urn:valetkey:params:oauth:grant-type:enrollment', enrollment_code: created.enrollmentCode, client_id: 'bot' },
      proof: false,
    });
    expect(res.status).toBe(400);
    expect(res.body.access_token).toBeUndefined();
  });
});

describe('device flow (RFC 8628)', () => {
  async function start(client: AgentClient): Promise<{ device_code: string; user_code: string; interval: number; verification_uri: string }> {
    const res = await client.call('POST', '/v1/device_authorization', { form: { client_id: 'ci-bot', scope: `vault:${fx.accounting.id}:read`, reason: 'deploy the release' } });
    expect(res.status).toBe(200);
    return res.body;
  }

  it('asks with a nonce, then polls: pending, approved → a DPoP token bound to the same key', async () => {
    const first = await agent.call('POST', '/v1/device_authorization', {
      form: { client_id: 'ci-bot', scope: `vault:${fx.accounting.id}:read`, reason: 'deploy' },
      retryNonce: false,
    });
    expect(first.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    expect(first.headers['dpop-nonce']).toBeTypeOf('string');
    const started = await start(agent);
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-?[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verification_uri).toBe(`${fx.endpoint.issuer}/device`);
    const poll = (client: AgentClient) => client.call('POST', '/v1/token', { form: { grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: 'ci-bot' } });
    const pending = await poll(agent);
    expect(pending.status).toBe(400);
    expect(pending.body.error).toBe('authorization_pending');
    const [request] = fx.device.list('pending');
    expect(request?.keyThumbprint).toBe(agent.jkt);
    await fx.device.decide(request?.id ?? '', 'approve');
    const thief = await AgentClient.create(fx.tcp);
    expect((await poll(thief)).body.error).toBe('invalid_grant');
    fx.advance(6000); // past the polling interval
    const granted = await poll(agent);
    expect(granted.status).toBe(200);
    expect(granted.body.token_type).toBe('DPoP');
    const res = await resolve(agent, granted.body.access_token, ['vk://Accounting/Bank/password']);
    expect(res.status).toBe(200);
  });

  it('says access_denied once the person denies', async () => {
    const started = await start(agent);
    const [request] = fx.device.list('pending');
    await fx.device.decide(request?.id ?? '', 'deny');
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: 'ci-bot' } });
    expect(res.body.error).toBe('access_denied');
  });
});

describe('token exchange (RFC 8693)', () => {
  it('mints a narrower token for a sub-agent key, proven by the subject key', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { entries: undefined });
    const sub = await AgentClient.create(fx.tcp);
    const scope = `entry:${fx.accounting.id}/${fx.bank.id}:read`;
    const form = { grant_type: EXCHANGE_GRANT, subject_token: accessToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_jkt: sub.jkt, actor_name: 'sub-bot', scope };
    const res = await agent.call('POST', '/v1/token', { form, proofOptions: { accessToken } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'DPoP', issued_token_type: ACCESS_TOKEN_TYPE, scope });
    const child = res.body.access_token as string;
    expect((await resolve(sub, child, ['vk://Accounting/Bank/password'])).status).toBe(200);
    expect((await resolve(sub, child, ['vk://Accounting/Payroll API/api_key'])).body.error).toBe('insufficient_scope');
    expect((await resolve(agent, child, ['vk://Accounting/Bank/password'])).body.error).toBe('invalid_token');
  });

  it('refuses a stolen subject token proven with another key, and a wider scope', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const thief = await AgentClient.create(fx.tcp);
    const base = { grant_type: EXCHANGE_GRANT, subject_token: accessToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_jkt: thief.jkt, actor_name: 'x' };
    const stolen = await thief.call('POST', '/v1/token', { form: base, proofOptions: { accessToken } });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_dpop_proof');
    const wider = await agent.call('POST', '/v1/token', { form: { ...base, scope: `vault:${fx.personal.id}:read` }, proofOptions: { accessToken } });
    expect(wider.body.error).toBe('invalid_scope');
  });
});

describe('approvals for sensitive vaults', () => {
  const personalInput = (fx: EndpointFixture) => ({ vaults: [fx.personal.id] });

  it('needs a fresh nonce, then waits for the person: allow once releases, with the approval id audited', async () => {
    const { accessToken } = await enrolledToken(fx, agent, personalInput(fx));
    const noNonce = await agent.call('POST', '/v1/resolve', {
      token: accessToken,
      json: { refs: ['vk://Personal/GitHub/api_key'], reason: 'push a tag' },
      proofOptions: { nonce: null },
      retryNonce: false,
    });
    expect(noNonce.status).toBe(401);
    expect(noNonce.body.error).toBe('use_dpop_nonce');
    expect(noNonce.headers['www-authenticate']).toContain('use_dpop_nonce');
    const pending = resolve(agent, accessToken, ['vk://Personal/GitHub/api_key'], 'push a tag');
    const approval = await waitForApproval(fx);
    expect(approval).toMatchObject({ vaultId: fx.personal.id, reason: 'push a tag', keyThumbprint: agent.jkt });
    await fx.approvals.decide(approval.id, 'allow_once');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.values['vk://Personal/GitHub/api_key']).toBe(SECRETS.github);
    const [row] = await fx.auditRows('secret.read');
    expect(row?.approvalId).toBe(approval.id);
  });

  it('answers approval_denied and approval_timeout, releasing nothing', async () => {
    const { accessToken } = await enrolledToken(fx, agent, personalInput(fx));
    const denied = resolve(agent, accessToken, ['vk://Personal/GitHub/api_key']);
    await fx.approvals.decide((await waitForApproval(fx)).id, 'deny');
    const d = await denied;
    expect([d.status, d.body.error]).toEqual([403, 'approval_denied']);
    const t = await resolve(agent, accessToken, ['vk://Personal/GitHub/api_key']);
    expect([t.status, t.body.error]).toEqual([408, 'approval_timeout']);
    expect(d.text + t.text).not.toContain(SECRETS.github);
    const refused = (await fx.auditRows('secret.read')).filter((r) => r.outcome === 'refused').map((r) => r.errorCode);
    expect(refused.sort()).toEqual(['approval_denied', 'approval_timeout']);
  });
});

async function waitForApproval(fx: EndpointFixture): Promise<ReturnType<EndpointFixture['approvals']['list']>[number]> {
  for (let i = 0; i < 100; i++) {
    const [pending] = fx.approvals.list('pending');
    if (pending !== undefined) return pending;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no approval was asked for');
}
