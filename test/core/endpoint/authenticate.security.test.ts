/**
 * The authentication pipeline over real sockets (docs/security.md attack tests 10-28, 33, 35, 39, 40
 * as the endpoint answers them): each refusal says what happened to the secret (nothing in the
 * response) and to the audit log (a refusal row naming the token when it verified).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, type AgentResponse } from '../../helpers/agent-client.js';
import { forgeJws, type Signer } from '../auth/jwt-forge.js';
import { SECRETS, enrolledToken, openEndpointFixture, resolve, type EndpointFixture } from './endpoint-fixture.js';
import { dpopChallenge } from '../../helpers/dpop-challenge.js';

const BANK = 'vk://Accounting/Bank/password';

let fx: EndpointFixture;
beforeAll(async () => {
  fx = await openEndpointFixture();
});
afterAll(async () => {
  await fx.close();
});

/** A fresh agent with its own enrolled DPoP token on Accounting. */
async function freshAgent(input: Parameters<typeof enrolledToken>[2] = {}): Promise<{ agent: AgentClient; token: string; tokenId: string }> {
  const agent = await AgentClient.create(fx.tcp);
  const { accessToken, tokenId } = await enrolledToken(fx, agent, input);
  return { agent, token: accessToken, tokenId };
}

function expectNoSecret(res: AgentResponse): void {
  for (const secret of Object.values(SECRETS)) expect(res.text).not.toContain(secret);
}

function expectRefusal(res: AgentResponse, status: number, error: string): void {
  expect([res.status, res.body?.error]).toEqual([status, error]);
  expectNoSecret(res);
}

async function lastRefusal(tokenId: string | null): Promise<{ errorCode: string | null; tokenId: string | null } | undefined> {
  const rows = (await fx.auditRows()).filter((r) => r.outcome === 'refused' && r.actor === 'agent');
  return tokenId === null ? rows[0] : rows.find((r) => r.tokenId === tokenId);
}

/** Rebuild a compact JWS with a patched header/payload and another signature. */
function reforge(jws: string, patch: { header?: object; payload?: object }, signer: Signer): string {
  const [h, p] = jws.split('.');
  const header = { ...JSON.parse(Buffer.from(h ?? '', 'base64url').toString()), ...patch.header };
  const payload = { ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), ...patch.payload };
  return forgeJws(header, payload, signer);
}

function engineSigner(): Signer {
  const key = fx.t.engine.signer?.privateKey;
  if (key === undefined) throw new Error('locked');
  return { kind: 'ed25519', key };
}

describe('credentials', () => {
  it('no credentials → 401 with a bare DPoP challenge', async () => {
    const agent = await AgentClient.create(fx.tcp);
    const res = await agent.call('GET', '/v1/vaults', { proof: false });
    expectRefusal(res, 401, 'invalid_token');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer));
  });

  it('10-14: a token that does not verify → 401 invalid_token, audited without a token id', async () => {
    const { agent, token } = await freshAgent();
    const forged = [
      reforge(token, { header: { alg: 'none' } }, { kind: 'none' }),
      reforge(token, { header: { typ: 'JWT' } }, engineSigner()),
      reforge(token, { payload: { aud: 'http://127.0.0.1:1' } }, engineSigner()),
      reforge(token, { payload: { iss: 'http://evil.example' } }, engineSigner()),
      reforge(token, { payload: { exp: Math.floor(Date.now() / 1000) - 60 } }, engineSigner()),
      reforge(token, { payload: { cnf: undefined } }, engineSigner()),
    ];
    for (const t of forged) {
      const res = await resolve(agent, t, [BANK]);
      expectRefusal(res, 401, 'invalid_token');
      expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_token'));
    }
    expect((await lastRefusal(null))?.errorCode).toBe('invalid_token');
  });

  it('13: a token past its expiry → 401', async () => {
    const { agent, token } = await freshAgent({ lifespanSeconds: 300 });
    fx.advance(301_000);
    try {
      expectRefusal(await resolve(agent, token, [BANK]), 401, 'invalid_token');
    } finally {
      fx.advance(-301_000);
    }
  });

  it('16: a bound token sent as Bearer → 401 invalid_token, audited with its id', async () => {
    const { agent, token, tokenId } = await freshAgent();
    expectRefusal(await resolve(agent, token, [BANK], 'x', { scheme: 'Bearer' }), 401, 'invalid_token');
    expect((await lastRefusal(tokenId))?.errorCode).toBe('invalid_token');
  });

  it('17: two schemes → 400 invalid_request', async () => {
    const { agent, token } = await freshAgent();
    const res = await agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK], reason: 'x' }, headers: ['Authorization', `Bearer ${token}`] });
    expectRefusal(res, 400, 'invalid_request');
  });

  it('18: a DPoP token with no DPoP header → 401 invalid_dpop_proof', async () => {
    const { agent, token } = await freshAgent();
    const res = await agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK], reason: 'x' }, proof: false });
    expectRefusal(res, 401, 'invalid_dpop_proof');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_dpop_proof'));
  });
});

describe('proofs (19-27)', () => {
  const body = { refs: [BANK], reason: 'attack' };

  it('19-21: wrong typ, alg none or HS256, bad signature → invalid_dpop_proof', async () => {
    const { agent, token } = await freshAgent();
    const good = await agent.proof('POST', '/v1/resolve', { accessToken: token });
    const badSig = `${good.slice(0, -4)}${good.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const proofs = [
      await agent.proof('POST', '/v1/resolve', { accessToken: token, header: { typ: 'JWT' } }),
      reforge(good, { header: { alg: 'none' } }, { kind: 'none' }),
      reforge(good, { header: { alg: 'HS256' } }, { kind: 'hs256', secret: randomBytes(32) }),
      badSig,
    ];
    for (const proof of proofs) expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [proof] }), 401, 'invalid_dpop_proof');
  });

  it('22-23: htm, path, port, scheme or listener of another route → invalid_dpop_proof', async () => {
    const { agent, token } = await freshAgent();
    const port = fx.endpoint.port;
    const variants = [
      { htu: undefined, method: 'GET' },
      { htu: `http://127.0.0.1:${port}/v1/vaults` },
      { htu: `http://127.0.0.1:${port + 1}/v1/resolve` },
      { htu: `https://127.0.0.1:${port}/v1/resolve` },
      { htu: 'http://localhost/v1/resolve' },
    ];
    for (const v of variants) {
      const proof = await agent.proof(v.method ?? 'POST', '/v1/resolve', { accessToken: token, ...(v.htu === undefined ? {} : { htu: v.htu }) });
      expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [proof] }), 401, 'invalid_dpop_proof');
    }
  });

  it('24-26: an old or future iat, a replay, a missing or foreign ath → refused', async () => {
    const { agent, token } = await freshAgent();
    const now = Math.floor(Date.now() / 1000);
    for (const iat of [now - 600, now + 3600]) {
      const proof = await agent.proof('POST', '/v1/resolve', { accessToken: token, iat });
      expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [proof] }), 401, 'invalid_dpop_proof');
    }
    const once = await agent.proof('POST', '/v1/resolve', { accessToken: token });
    expect((await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [once] })).status).toBe(200);
    expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [once] }), 401, 'invalid_dpop_proof');
    const noAth = await agent.proof('POST', '/v1/resolve');
    expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [noAth] }), 401, 'invalid_dpop_proof');
    const otherAth = await agent.proof('POST', '/v1/resolve', { claims: { ath: createHash('sha256').update('other').digest('base64url') } });
    expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [otherAth] }), 401, 'invalid_dpop_proof');
  });

  it('two DPoP headers → invalid_dpop_proof', async () => {
    const { agent, token } = await freshAgent();
    const a = await agent.proof('POST', '/v1/resolve', { accessToken: token });
    const b = await agent.proof('POST', '/v1/resolve', { accessToken: token });
    expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [a, b] }), 401, 'invalid_dpop_proof');
  });

  it('27: a stolen token with the thief’s own key → 401 invalid_token, audited', async () => {
    const { token, tokenId } = await freshAgent();
    const thief = await AgentClient.create(fx.tcp);
    const res = await resolve(thief, token, [BANK]);
    expectRefusal(res, 401, 'invalid_token');
    expect((await lastRefusal(tokenId))?.errorCode).toBe('invalid_token');
  });

  it('a proof made for the socket is refused over TCP and accepted over the socket', async () => {
    const { agent, token } = await freshAgent();
    const proof = await agent.via(fx.socket).proof('POST', '/v1/resolve', { accessToken: token });
    expectRefusal(await agent.call('POST', '/v1/resolve', { token, json: body, dpop: [proof] }), 401, 'invalid_dpop_proof');
    expect((await agent.via(fx.socket).call('POST', '/v1/resolve', { token, json: body })).status).toBe(200);
  });
});

describe('requests (28, 33, 35, 39, 40, scope, limits)', () => {
  it('28: a sensitive vault without a nonce → 401 use_dpop_nonce with a fresh DPoP-Nonce', async () => {
    const { agent, token, tokenId } = await freshAgent({ vaults: [fx.personal.id] });
    const res = await agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Personal/GitHub/api_key'], reason: 'x' }, proofOptions: { nonce: null }, retryNonce: false });
    expectRefusal(res, 401, 'use_dpop_nonce');
    expect(res.headers['dpop-nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fx.approvals.list('pending')).toEqual([]);
    // The nonce challenge is a handshake step, not a refusal (docs/security.md): no row, and no use counted.
    expect(await lastRefusal(tokenId)).toBeUndefined();
    expect(fx.tokens.list('all').find((t) => t.id === tokenId)?.uses).toBe(0);
  });

  it('a revoked token is refused with a row that keeps the agent’s reason', async () => {
    const { agent, token, tokenId } = await freshAgent();
    await fx.tokens.revoke(tokenId, 'test');
    expectRefusal(await resolve(agent, token, [BANK], 'month-end reconciliation'), 401, 'invalid_token');
    const rows = (await fx.auditRows()).filter((r) => r.outcome === 'refused' && r.tokenId === tokenId);
    expect(rows.map((r) => [r.errorCode, r.reason])).toEqual([['invalid_token', 'month-end reconciliation']]);
  });

  it('33: no reason, an empty one or one over 300 characters → 400 reason_required', async () => {
    const { agent, token, tokenId } = await freshAgent();
    for (const reason of [null, '', '   ', 'r'.repeat(301)]) {
      expectRefusal(await resolve(agent, token, [BANK], reason), 400, 'reason_required');
    }
    expect((await lastRefusal(tokenId))?.errorCode).toBe('reason_required');
    expect((await resolve(agent, token, [BANK], 'r'.repeat(300))).status).toBe(200);
  });

  it('a ref outside the scope → 403 insufficient_scope, whether or not it exists', async () => {
    const { agent, token } = await freshAgent();
    for (const ref of ['vk://Personal/GitHub/api_key', 'vk://Nowhere/x/y']) {
      const res = await resolve(agent, token, [BANK, ref]);
      expectRefusal(res, 403, 'insufficient_scope');
      expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'insufficient_scope'));
    }
    const narrowed = await freshAgent({ entries: [{ vault: fx.accounting.id, entry: fx.payroll.id }] });
    expectRefusal(await resolve(narrowed.agent, narrowed.token, [BANK]), 403, 'insufficient_scope');
    expectRefusal(await resolve(narrowed.agent, narrowed.token, ['vk://Accounting/Ghost/password']), 403, 'insufficient_scope');
    expect((await resolve(narrowed.agent, narrowed.token, ['vk://Accounting/Payroll API/api_key'])).status).toBe(200);
  });

  it('a use-only token cannot read', async () => {
    const { agent, token } = await freshAgent({ actions: ['use'] });
    expectRefusal(await resolve(agent, token, [BANK]), 403, 'insufficient_scope');
  });

  it('35: the audit log cannot be written → 503 audit_unavailable, no secret', async () => {
    const { agent, token } = await freshAgent();
    fx.breakAudit(true);
    try {
      expectRefusal(await resolve(agent, token, [BANK]), 503, 'audit_unavailable');
    } finally {
      fx.breakAudit(false);
    }
  });

  it('39: a locked engine → 423 vault_locked, nothing decrypted', async () => {
    const { agent, token, tokenId } = await freshAgent();
    fx.t.engine.lock();
    try {
      expectRefusal(await resolve(agent, token, [BANK]), 423, 'vault_locked');
      expectRefusal(await agent.call('GET', '/v1/vaults', { token }), 423, 'vault_locked');
    } finally {
      await fx.t.engine.unlock(fx.t.grant.passphrase);
    }
    expect((await lastRefusal(tokenId))?.errorCode).toBe('vault_locked');
  });

  it('40: paused agents → 403 agents_paused', async () => {
    const { agent, token } = await freshAgent();
    fx.t.engine.setPaused(true);
    try {
      expectRefusal(await resolve(agent, token, [BANK]), 403, 'agents_paused');
      const device = await agent.call('POST', '/v1/device_authorization', { form: { client_id: 'x', scope: `vault:${fx.accounting.id}:read`, reason: 'r' } });
      expectRefusal(device, 403, 'agents_paused');
    } finally {
      fx.t.engine.setPaused(false);
    }
    expect((await resolve(agent, token, [BANK])).status).toBe(200);
  });

  it('a token with a maximum number of uses stops at it', async () => {
    const { agent, token } = await freshAgent({ maxUses: 1 });
    expect((await resolve(agent, token, [BANK])).status).toBe(200);
    expectRefusal(await resolve(agent, token, [BANK]), 403, 'token_limit_reached');
  });

  it('never writes a token or a proof into the audit log', async () => {
    const { agent, token } = await freshAgent();
    await resolve(agent, token, [BANK]);
    const text = JSON.stringify(await fx.auditRows());
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2] ?? 'x');
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });
});
