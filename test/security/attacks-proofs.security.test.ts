/**
 * docs/security.md attacks 19-28, DPoP proofs, against POST /v1/resolve of a real engine. Each agent
 * holds a valid token; only the proof is wrong. Every refusal is 401, leaks nothing, and leaves a
 * refusal row naming the token (the token verified; the proof did not).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeJws, type Signer } from '../core/auth/jwt-forge.js';
import { AgentClient } from '../helpers/agent-client.js';
import { BANK_REF, GITHUB_REF, SECRETS, expectRefusalRow, expectRefused, openAttackFixture, resolveRefs, type AttackFixture, type Enrolled } from './attack-fixture.js';
import { dpopChallenge } from '../helpers/dpop-challenge.js';

const BODY = { refs: [BANK_REF], reason: 'attack' };

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});


/** Send each proof with the agent's valid token; each must be refused as an invalid proof. */
async function expectBadProofs(who: Enrolled, proofs: readonly string[]): Promise<void> {
  for (const proof of proofs) {
    const { res, rows } = await fx.attempt(() => who.agent.call('POST', '/v1/resolve', { token: who.token, json: BODY, dpop: [proof] }));
    expectRefused(res, 401, 'invalid_dpop_proof');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_dpop_proof'));
    expectRefusalRow(rows, 'invalid_dpop_proof', who.tokenId);
  }
  // The same agent with a good proof still gets through: it was the proofs, not the token.
  expect((await resolveRefs(who.agent, who.token, [BANK_REF])).body.values).toEqual({ [BANK_REF]: SECRETS.bank });
}

function reforge(jws: string, patch: { header?: object; payload?: object }, signer: Signer): string {
  const [h, p] = jws.split('.');
  const header = { ...JSON.parse(Buffer.from(h ?? '', 'base64url').toString()), ...patch.header };
  const payload = { ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), ...patch.payload };
  return forgeJws(header, payload, signer);
}

describe('proof shape and signature (19-21)', () => {
  it('attack 19: a proof with typ JWT (or none) → invalid_dpop_proof', async () => {
    const who = await fx.enrolled();
    await expectBadProofs(who, [
      await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token, header: { typ: 'JWT' } }),
      await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token, header: { typ: 'at+jwt' } }),
    ]);
  });

  it('attack 20: a proof with alg none or HS256 → invalid_dpop_proof', async () => {
    const who = await fx.enrolled();
    const good = await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token });
    const secret = randomBytes(32);
    await expectBadProofs(who, [
      reforge(good, { header: { alg: 'none' } }, { kind: 'none' }),
      reforge(good, { header: { alg: 'HS256', jwk: { kty: 'oct', k: secret.toString('base64url') } } }, { kind: 'hs256', secret }),
      reforge(good, { header: { alg: 'HS256' } }, { kind: 'hs256', secret }),
    ]);
  });

  it('attack 21: a proof with a bad signature → invalid_dpop_proof', async () => {
    const who = await fx.enrolled();
    const good = await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token });
    const [h, p, s] = good.split('.') as [string, string, string];
    const flipped = Buffer.from(s, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    // Also: a valid signature over other claims, with this header (a payload swapped in).
    const other = await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token });
    await expectBadProofs(who, [`${h}.${p}.${flipped.toString('base64url')}`, `${h}.${other.split('.')[1]}.${s}`, `${h}.${p}.`]);
  });
});

describe('what the proof is for (22-26)', () => {
  it('attack 22: htm GET on a POST → invalid_dpop_proof', async () => {
    const who = await fx.enrolled();
    await expectBadProofs(who, [await who.agent.proof('GET', '/v1/resolve', { accessToken: who.token }), await who.agent.proof('post', '/v1/resolve', { accessToken: who.token })]);
  });

  it('attack 23: htu of another path, port or scheme → invalid_dpop_proof', async () => {
    const who = await fx.enrolled();
    const port = fx.endpoint.port;
    const htus = [
      `http://127.0.0.1:${port}/v1/vaults`,
      `http://127.0.0.1:${port + 1}/v1/resolve`,
      `https://127.0.0.1:${port}/v1/resolve`,
      `http://evil.example:${port}/v1/resolve`,
      'http://localhost/v1/resolve', // the socket's base, replayed over TCP
    ];
    await expectBadProofs(who, await Promise.all(htus.map((htu) => who.agent.proof('POST', '/v1/resolve', { accessToken: who.token, htu }))));
  });

  it('attack 24: iat 10 minutes old or 1 hour ahead → refused', async () => {
    const who = await fx.enrolled();
    const now = Math.floor(fx.now() / 1000);
    await expectBadProofs(who, [
      await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token, iat: now - 600 }),
      await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token, iat: now + 3600 }),
    ]);
  });

  it('attack 25: the same proof replayed → refused, and the replay released nothing', async () => {
    const who = await fx.enrolled();
    const once = await who.agent.proof('POST', '/v1/resolve', { accessToken: who.token });
    const first = await who.agent.call('POST', '/v1/resolve', { token: who.token, json: BODY, dpop: [once] });
    expect(first.body.values).toEqual({ [BANK_REF]: SECRETS.bank });
    // Replayed over the other listener too: the cache is shared.
    const socketProof = await who.agent.via(fx.socket).proof('POST', '/v1/resolve', { accessToken: who.token });
    expect((await who.agent.via(fx.socket).call('POST', '/v1/resolve', { token: who.token, json: BODY, dpop: [socketProof] })).status).toBe(200);
    await expectBadProofs(who, [once]);
    const replay = await fx.attempt(() => who.agent.via(fx.socket).call('POST', '/v1/resolve', { token: who.token, json: BODY, dpop: [socketProof] }));
    expectRefused(replay.res, 401, 'invalid_dpop_proof');
    expectRefusalRow(replay.rows, 'invalid_dpop_proof', who.tokenId);
  });

  it('attack 26: ath missing or of another token → refused', async () => {
    const who = await fx.enrolled();
    const other = await fx.enrolled();
    await expectBadProofs(who, [
      await who.agent.proof('POST', '/v1/resolve'),
      await who.agent.proof('POST', '/v1/resolve', { accessToken: other.token }),
      await who.agent.proof('POST', '/v1/resolve', { claims: { ath: createHash('sha256').update(who.token).digest('hex') } }),
    ]);
  });
});

describe('keys and nonces (27-28)', () => {
  it('attack 27: a stolen access token used with the thief’s own key → 401 invalid_token', async () => {
    const who = await fx.enrolled();
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const thief = await AgentClient.create(fx.tcp, alg);
      const { res, rows } = await fx.attempt(() => resolveRefs(thief, who.token, [BANK_REF]));
      expectRefused(res, 401, 'invalid_token');
      expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_token'));
      const row = expectRefusalRow(rows, 'invalid_token', who.tokenId);
      expect(row.keyThumbprint).toBe(who.agent.jkt); // the token's key, not the thief's claim
    }
  });

  it('attack 28: a sensitive vault without a nonce → 401 use_dpop_nonce + DPoP-Nonce, and nobody is asked', async () => {
    const who = await fx.enrolled({ vaults: [fx.personal.id] });
    for (const nonce of [null, 'stale-or-made-up-nonce-value']) {
      const { res, rows } = await fx.attempt(() =>
        who.agent.call('POST', '/v1/resolve', { token: who.token, json: { refs: [GITHUB_REF], reason: 'x' }, proofOptions: { nonce }, retryNonce: false }),
      );
      expectRefused(res, 401, 'use_dpop_nonce');
      expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'use_dpop_nonce'));
      expect(res.headers['dpop-nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // No nonce at all is the client's first handshake step (its retry is audited); a made-up one is a refusal row.
      if (nonce === null) expect(rows.filter((r) => r.outcome === 'refused')).toEqual([]);
      else expectRefusalRow(rows, 'use_dpop_nonce', who.tokenId);
      expect(fx.t.engine.approvals.list('pending')).toEqual([]);
    }
  });
});
