/**
 * docs/security.md attacks 10-18, access tokens and schemes, against POST /v1/resolve of a real engine:
 * each answer's status and code, no secret in the raw body, and the audit row (a refusal with the
 * code, naming the token once its signature verified; none when the request never reached auth).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeJws, type Signer } from '../core/auth/jwt-forge.js';
import { BANK_REF, SECRETS, expectNoRows, expectRefusalRow, expectRefused, openAttackFixture, resolveRefs, type AttackFixture } from './attack-fixture.js';
import { dpopChallenge } from '../helpers/dpop-challenge.js';


let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});

/** Run one attack; return its answer and the audit rows it wrote. */

function engineSigner(): Signer {
  const key = fx.t.engine.signer?.privateKey;
  if (key === undefined) throw new Error('locked');
  return { kind: 'ed25519', key };
}

/** The agent's real token, with a patched header or payload, re-signed (by our own key unless told). */
function reforge(jws: string, patch: { header?: object; payload?: object }, signer: Signer = engineSigner()): string {
  const [h, p] = jws.split('.');
  const header = { ...JSON.parse(Buffer.from(h ?? '', 'base64url').toString()), ...patch.header };
  const payload = { ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), ...patch.payload };
  return forgeJws(header, payload, signer);
}

/** A forged token sent with a correct proof for it: only the token is wrong. */
async function forgedAttack(variants: readonly string[]): Promise<void> {
  const { agent } = await fx.enrolled();
  for (const forged of variants) {
    const { res, rows } = await fx.attempt(() => resolveRefs(agent, forged, [BANK_REF]));
    expectRefused(res, 401, 'invalid_token');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_token'));
    // The signature never verified, so the row names no token: nothing the attacker wrote is trusted.
    expect(expectRefusalRow(rows, 'invalid_token').tokenId).toBeNull();
  }
}

describe('forged and stale tokens (10-14)', () => {
  it('attack 10: an access token with alg none → 401', async () => {
    const { token } = await fx.enrolled();
    await forgedAttack([reforge(token, { header: { alg: 'none' } }, { kind: 'none' }), reforge(token, { header: { alg: 'none' } })]);
  });

  it('attack 11: typ missing or JWT → 401', async () => {
    const { token } = await fx.enrolled();
    await forgedAttack([reforge(token, { header: { typ: undefined } }), reforge(token, { header: { typ: 'JWT' } }), reforge(token, { header: { typ: 'dpop+jwt' } })]);
  });

  it('attack 12: a wrong aud or iss → 401', async () => {
    const { token } = await fx.enrolled();
    await forgedAttack([
      reforge(token, { payload: { aud: 'http://127.0.0.1:1' } }),
      reforge(token, { payload: { aud: ['http://evil.example'] } }),
      reforge(token, { payload: { iss: 'http://evil.example' } }),
    ]);
  });

  it('attack 13: an expired token → 401, whether its exp was forged or has simply passed', async () => {
    const { token } = await fx.enrolled();
    await forgedAttack([reforge(token, { payload: { exp: Math.floor(fx.now() / 1000) - 60 } })]);
    const short = await fx.enrolled({ lifespanSeconds: 300 });
    expect((await resolveRefs(short.agent, short.token, [BANK_REF])).status).toBe(200);
    fx.advance(306_000); // past exp and the 5 s tolerance
    try {
      const iat = Math.floor(fx.now() / 1000);
      const { res, rows } = await fx.attempt(() => short.agent.call('POST', '/v1/resolve', { token: short.token, json: { refs: [BANK_REF], reason: 'late' }, proofOptions: { iat } }));
      expectRefused(res, 401, 'invalid_token');
      expectRefusalRow(rows, 'invalid_token');
    } finally {
      fx.advance(-306_000);
    }
  });

  it('attack 14: a token with no cnf.jkt → 401', async () => {
    const { token } = await fx.enrolled();
    await forgedAttack([reforge(token, { payload: { cnf: undefined } }), reforge(token, { payload: { cnf: {} } })]);
  });
});

describe('revocation and schemes (15-18)', () => {
  it('attack 15: a revoked jti → 401 at the very next request; revoking garbage → 200', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    expect((await resolveRefs(agent, token, [BANK_REF])).status).toBe(200);
    expect(await fx.t.admin.revokeToken({ tokenId })).toEqual({ revoked: 1 });
    const { res, rows } = await fx.attempt(() => resolveRefs(agent, token, [BANK_REF]));
    expectRefused(res, 401, 'invalid_token');
    expectRefusalRow(rows, 'invalid_token', tokenId);

    const other = await fx.enrolled();
    for (const garbage of ['not-a-token', 'a.b.c', reforge(other.token, { payload: { jti: 'unknown-jti' } }, { kind: 'none' })]) {
      const revoked = await fx.attempt(() => other.agent.call('POST', '/v1/revoke', { form: { token: garbage }, proof: false }));
      expect([revoked.res.status, revoked.res.body]).toEqual([200, {}]);
      expectNoRows(revoked.rows);
    }
    // Garbage revoked nothing: the other agent's token still works.
    expect((await resolveRefs(other.agent, other.token, [BANK_REF])).body.values).toEqual({ [BANK_REF]: SECRETS.bank });
  });

  it('attack 16: a DPoP-bound token sent as Bearer → 401 invalid_token', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    const { res, rows } = await fx.attempt(() => resolveRefs(agent, token, [BANK_REF], 'x', 'Bearer'));
    expectRefused(res, 401, 'invalid_token');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_token'));
    expectRefusalRow(rows, 'invalid_token', tokenId);
  });

  it('attack 17: both Bearer and DPoP → 400 invalid_request, refused before auth', async () => {
    const { agent, token } = await fx.enrolled();
    const twoHeaders = await fx.attempt(() =>
      agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK_REF], reason: 'x' }, headers: ['Authorization', `Bearer ${token}`] }),
    );
    expectRefused(twoHeaders.res, 400, 'invalid_request');
    expectNoRows(twoHeaders.rows);
    const proof = await agent.proof('POST', '/v1/resolve', { accessToken: token });
    const oneHeader = await fx.attempt(() =>
      agent.call('POST', '/v1/resolve', { json: { refs: [BANK_REF], reason: 'x' }, dpop: [proof], headers: ['Authorization', `DPoP ${token}, Bearer ${token}`] }),
    );
    expectRefused(oneHeader.res, 400, 'invalid_request');
    expectNoRows(oneHeader.rows);
  });

  it('attack 18: a DPoP token with no DPoP header → 401 invalid_dpop_proof', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    const { res, rows } = await fx.attempt(() => agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK_REF], reason: 'x' }, proof: false }));
    expectRefused(res, 401, 'invalid_dpop_proof');
    expect(res.headers['www-authenticate']).toBe(dpopChallenge(fx.endpoint.issuer, 'invalid_dpop_proof'));
    expectRefusalRow(rows, 'invalid_dpop_proof', tokenId);
  });
});
