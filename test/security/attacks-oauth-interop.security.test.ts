/**
 * docs/security.md attacks 82-86: what standard-client interop opened up. A device request may come
 * without a DPoP proof (RFC 9449 defines none there), so the key is bound later, by `dpop_jkt` or the
 * first proven poll; a token-exchange proof may leave out `ath`. None of it may let another key in.
 * Driven over the real endpoint; the person decides through the admin API with the passphrase grant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { BANK_REF, SECRETS, expectRefusalRow, expectRefused, openAttackFixture, resolveRefs, type AttackFixture } from './attack-fixture.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});

/** Proofs are dated by the engine's clock, which these tests move past the polling interval. */
const iat = (): number => Math.floor(fx.now() / 1000);

async function ask(agent: AgentClient, clientId: string, extra: { readonly proof?: boolean; readonly dpopJkt?: string } = {}): Promise<AgentResponse> {
  const form = { client_id: clientId, scope: `vault:${fx.accounting.id}:read`, reason: 'deploy the release', ...(extra.dpopJkt === undefined ? {} : { dpop_jkt: extra.dpopJkt }) };
  return agent.call('POST', '/v1/device_authorization', { form, proof: extra.proof ?? false, proofOptions: { iat: iat() } });
}

function poll(agent: AgentClient, deviceCode: string, clientId: string, dpop?: readonly string[]): Promise<AgentResponse> {
  return agent.call('POST', '/v1/token', {
    form: { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId },
    proofOptions: { iat: iat() },
    ...(dpop === undefined ? {} : { dpop, retryNonce: false }),
  });
}

async function pendingOf(clientId: string) {
  const found = (await fx.t.admin.listDeviceRequests({ status: 'pending' })).find((r) => r.clientName === clientId);
  if (found === undefined) throw new Error(`no prompt for ${clientId}`);
  return found;
}

async function approve(clientId: string): Promise<void> {
  await fx.t.admin.decideDeviceRequest({ grant: fx.t.grant, requestId: (await pendingOf(clientId)).id, decision: 'approve' });
}

/** The header of a proof swapped for another, its signature left as it was. */
function withHeader(proof: string, header: Record<string, unknown>): string {
  const [, payload, signature] = proof.split('.');
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
}

describe('device requests without a proof (90-93)', () => {
  it('attack 82: a request without a proof is bound by the first proven poll; another key polling after it → invalid_grant, no token', async () => {
    const agent = await AgentClient.create(fx.tcp);
    const thief = await AgentClient.create(fx.tcp, 'ES256');
    const asked = await ask(agent, 'late-bind-bot');
    expect(asked.status, asked.text).toBe(200);
    expect((await pendingOf('late-bind-bot')).keyThumbprint).toBeNull();
    expectRefused(await poll(agent, asked.body.device_code, 'late-bind-bot'), 400, 'authorization_pending');
    expect((await pendingOf('late-bind-bot')).keyThumbprint).toBe(agent.jkt);
    await approve('late-bind-bot');
    const stolen = await fx.attempt(() => poll(thief, asked.body.device_code, 'late-bind-bot'));
    expectRefused(stolen.res, 400, 'invalid_grant');
    expect(expectRefusalRow(stolen.rows, 'invalid_grant').keyThumbprint).toBe(thief.jkt);
    expect((await fx.t.admin.listTokens({})).filter((t) => t.keyThumbprint === thief.jkt)).toEqual([]);
    fx.advance(6_000); // past the polling interval
    const granted = await poll(agent, asked.body.device_code, 'late-bind-bot');
    expect([granted.status, granted.body.token_type]).toEqual([200, 'DPoP']);
    expectRefused(await resolveRefs(thief, granted.body.access_token, [BANK_REF]), 401, 'invalid_token');
    expect((await resolveRefs(agent, granted.body.access_token, [BANK_REF])).body.values).toEqual({ [BANK_REF]: SECRETS.bank });
  });

  it('attack 83: dpop_jkt names the key: another key polling → invalid_grant; a proof by another key than dpop_jkt → invalid_dpop_proof, nobody asked', async () => {
    const agent = await AgentClient.create(fx.tcp);
    const thief = await AgentClient.create(fx.tcp);
    const mismatch = await fx.attempt(() => ask(thief, 'jkt-mismatch-bot', { proof: true, dpopJkt: agent.jkt }));
    expectRefused(mismatch.res, 400, 'invalid_dpop_proof');
    expect((await fx.t.admin.listDeviceRequests({ status: 'pending' })).filter((r) => r.clientName === 'jkt-mismatch-bot')).toEqual([]);
    expectRefused(await ask(agent, 'jkt-bot', { dpopJkt: 'not-a-thumbprint' }), 400, 'invalid_request');

    const asked = await ask(agent, 'jkt-bot', { dpopJkt: agent.jkt });
    expect(asked.status, asked.text).toBe(200);
    expect((await pendingOf('jkt-bot')).keyThumbprint).toBe(agent.jkt);
    await approve('jkt-bot');
    expectRefused(await poll(thief, asked.body.device_code, 'jkt-bot'), 400, 'invalid_grant');
    const granted = await poll(agent, asked.body.device_code, 'jkt-bot');
    expect([granted.status, granted.body.token_type]).toEqual([200, 'DPoP']);
  });

  it('attack 84: a first poll whose proof fails (no nonce, replayed, claiming another key, Ed25519 alg on a P-256 key, another URL) binds nothing', async () => {
    const agent = await AgentClient.create(fx.tcp);
    const thief = await AgentClient.create(fx.tcp, 'ES256');
    const code = (await ask(agent, 'spoiled-bot')).body.device_code as string;
    const proof = (o: { readonly nonce?: null; readonly htu?: string } = {}) => thief.proof('POST', '/v1/token', { iat: iat(), ...o });
    const noNonce = await fx.attempt(async () => poll(thief, code, 'spoiled-bot', [await proof({ nonce: null })]));
    expectRefused(noNonce.res, 400, 'use_dpop_nonce'); // and the thief now holds a current nonce
    // A proof accepted once, on a request of the thief's own, then replayed on the agent's.
    const decoy = (await ask(thief, 'decoy-bot')).body.device_code as string;
    const used = await proof();
    expectRefused(await poll(thief, decoy, 'decoy-bot', [used]), 400, 'authorization_pending');
    const spoiled = [
      used,
      withHeader(await proof(), { typ: 'dpop+jwt', alg: 'ES256', jwk: agent.publicJwk }),
      withHeader(await proof(), { typ: 'dpop+jwt', alg: 'Ed25519', jwk: thief.publicJwk }),
      await proof({ htu: `${fx.endpoint.issuer}/v1/device_authorization` }),
    ];
    for (const dpop of spoiled) {
      const { res, rows } = await fx.attempt(() => poll(thief, code, 'spoiled-bot', [dpop]));
      expectRefused(res, 400, 'invalid_dpop_proof');
      expectRefusalRow(rows, 'invalid_dpop_proof');
    }
    expect((await pendingOf('spoiled-bot')).keyThumbprint).toBeNull();
    expectRefused(await poll(agent, code, 'spoiled-bot'), 400, 'authorization_pending');
    expect((await pendingOf('spoiled-bot')).keyThumbprint).toBe(agent.jkt);
  });

  it('attack 85: 100 device requests without a proof in a minute under one name → 429, at most 3 prompts', async () => {
    const flood = await AgentClient.create(fx.tcp);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await ask(flood, 'flood-without-key');
      statuses.push(res.status);
      if (res.status !== 200) expectRefused(res, 429, 'rate_limited');
    }
    expect([statuses.filter((s) => s === 200).length, statuses.filter((s) => s === 429).length]).toEqual([3, 97]);
    expect((await fx.t.admin.listDeviceRequests({ status: 'pending' })).filter((r) => r.clientName === 'flood-without-key')).toHaveLength(3);
  });
});

describe('token exchange without ath (94)', () => {
  it('attack 86: an exchange proof without ath from another key than the subject’s, or naming another token → refused, nothing minted', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    const other = await fx.enrolled();
    const sub = await AgentClient.create(fx.tcp);
    const form = { grant_type: EXCHANGE_GRANT, subject_token: token, subject_token_type: ACCESS_TOKEN_TYPE, actor_jkt: sub.jkt, actor_name: 'sub-bot' };
    const thief = await AgentClient.create(fx.tcp);
    const stolen = await fx.attempt(() => thief.call('POST', '/v1/token', { form }));
    expectRefused(stolen.res, 400, 'invalid_dpop_proof');
    expectRefusalRow(stolen.rows, 'invalid_dpop_proof', tokenId);
    const misnamed = await agent.call('POST', '/v1/token', { form, proofOptions: { accessToken: other.token } });
    expectRefused(misnamed, 400, 'invalid_dpop_proof');
    expect((await fx.t.admin.listTokens({})).filter((t) => t.keyThumbprint === sub.jkt)).toEqual([]);
    // The control: the subject's own key, without ath, as a standard client sends it.
    const minted = await agent.call('POST', '/v1/token', { form });
    expect([minted.status, minted.body.issued_token_type], minted.text).toEqual([200, ACCESS_TOKEN_TYPE]);
  });
});
