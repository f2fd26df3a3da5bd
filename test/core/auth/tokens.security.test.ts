/**
 * docs/security.md attack tests 10-28, at the unit level: the token and proof checks the agent
 * endpoint will call. Malicious JWTs are built by hand (jwt-forge) where jose would refuse to.
 * Revocation (15) and "bound token as Bearer → 401" (16) are decided by the endpoint; here we
 * check what it needs: the claims it gets back carry cnf.jkt.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { issueAccessToken, verifyAccessToken, type AccessTokenClaims } from '../../../src/core/auth/access-token.js';
import { parseAuthorization } from '../../../src/core/auth/authorization-header.js';
import { verifyDpopProof, type DpopProofInput } from '../../../src/core/auth/dpop-proof.js';
import { ReplayCache } from '../../../src/core/auth/replay-cache.js';
import { ERRORS, isVkError } from '../../../src/shared/errors.js';
import { ROUTE, forgeJws, makeAgentKey, makeProof, makeTokenKey } from './jwt-forge.js';

const NOW = 1_750_000_000;
const key = makeTokenKey('engine-key');
const tokenOpts = { key, issuer: 'urn:valetkey', audience: 'urn:valetkey:agents', nowSeconds: NOW };
const ourSigner = { kind: 'ed25519', key: key.privateKey } as const;
const agent = await makeAgentKey();
const jkt = await calculateJwkThumbprint(agent.publicJwk, 'sha256');

const goodClaims: AccessTokenClaims = {
  iss: tokenOpts.issuer, sub: 'agent', aud: tokenOpts.audience, client_id: 'c1',
  scope: 'vault:v1:read', jti: 'token-jti', iat: NOW - 5, exp: NOW + 600, cnf: { jkt },
};
const goodHeader = { alg: 'EdDSA', typ: 'at+jwt', kid: 'engine-key' };
const token = await issueAccessToken(key, goodClaims);

/** The error code, and that the message is the fixed one with nothing from the input in it. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (e) {
    if (!isVkError(e)) return 'not a VkError';
    expect(e.message).toBe(ERRORS[e.code].message);
    return e.code;
  }
}

const verifyToken = (t: string, o = tokenOpts): Promise<string> => refusal(verifyAccessToken(t, o));

function proofInput(proof: string, overrides: Partial<DpopProofInput> = {}): DpopProofInput {
  return { headerValues: [proof], method: 'POST', url: ROUTE, accessToken: token, expectedJkt: jkt, nowSeconds: NOW, replay: new ReplayCache(), ...overrides };
}
const verifyProof = (proof: string, overrides: Partial<DpopProofInput> = {}): Promise<string> =>
  refusal(verifyDpopProof(proofInput(proof, overrides)));

describe('access tokens (attacks 10-16)', () => {
  it('baseline: the real token and a hand-forged copy signed by our key are accepted', async () => {
    expect(await verifyToken(token)).toBe('accepted');
    expect(await verifyToken(forgeJws(goodHeader, goodClaims, ourSigner))).toBe('accepted');
  });

  it('10: alg none is refused', async () => {
    expect(await verifyToken(forgeJws({ ...goodHeader, alg: 'none' }, goodClaims, { kind: 'none' }))).toBe('invalid_token');
  });

  it('10b: HS256 keyed with our public key (algorithm confusion) is refused', async () => {
    const publicBytes = key.publicKey.export({ format: 'der', type: 'spki' });
    const forged = forgeJws({ ...goodHeader, alg: 'HS256' }, goodClaims, { kind: 'hs256', secret: publicBytes });
    expect(await verifyToken(forged)).toBe('invalid_token');
  });

  it.each([
    ['missing', { alg: 'EdDSA', kid: 'engine-key' }],
    ['JWT', { ...goodHeader, typ: 'JWT' }],
    ['dpop+jwt', { ...goodHeader, typ: 'dpop+jwt' }],
  ])('11: typ %s is refused', async (_name, header) => {
    expect(await verifyToken(forgeJws(header, goodClaims, ourSigner))).toBe('invalid_token');
  });

  it('11b: typ application/AT+JWT is the same media type and accepted', async () => {
    expect(await verifyToken(forgeJws({ ...goodHeader, typ: 'application/AT+JWT' }, goodClaims, ourSigner))).toBe('accepted');
  });

  it('12: wrong aud or iss is refused', async () => {
    expect(await verifyToken(forgeJws(goodHeader, { ...goodClaims, aud: 'urn:other' }, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(forgeJws(goodHeader, { ...goodClaims, iss: 'urn:other' }, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(token, { ...tokenOpts, audience: 'urn:elsewhere' })).toBe('invalid_token');
  });

  it('13: an expired token is refused', async () => {
    expect(await verifyToken(token, { ...tokenOpts, nowSeconds: NOW + 606 })).toBe('invalid_token');
  });

  it('14: no cnf.jkt (and no bearer label), or a bearer label next to cnf, is refused', async () => {
    const { cnf: _cnf, ...unbound } = goodClaims;
    expect(await verifyToken(forgeJws(goodHeader, unbound, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(forgeJws(goodHeader, { ...unbound, cnf: {} }, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(forgeJws(goodHeader, { ...goodClaims, vk_bearer: true }, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(forgeJws(goodHeader, { ...unbound, vk_bearer: 'yes' }, ourSigner))).toBe('invalid_token');
  });

  it.each(['iss', 'sub', 'aud', 'client_id', 'iat', 'exp', 'jti', 'scope'])('a token without %s is refused', async (claim) => {
    const partial: Record<string, unknown> = { ...goodClaims };
    delete partial[claim];
    expect(await verifyToken(forgeJws(goodHeader, partial, ourSigner))).toBe('invalid_token');
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c'])('a token carrying a %s header is refused even when our key signed it', async (name) => {
    const value = name === 'jwk' ? await exportJWK(key.publicKey) : name === 'x5c' ? ['MIIB'] : 'https://evil.example/keys';
    expect(await verifyToken(forgeJws({ ...goodHeader, [name]: value }, goodClaims, ourSigner))).toBe('invalid_token');
  });

  it('a token with a missing or foreign kid is refused', async () => {
    expect(await verifyToken(forgeJws({ alg: 'EdDSA', typ: 'at+jwt' }, goodClaims, ourSigner))).toBe('invalid_token');
    expect(await verifyToken(forgeJws({ ...goodHeader, kid: '../other' }, goodClaims, ourSigner))).toBe('invalid_token');
  });

  it('a token signed by an attacker key embedded in its own header is refused', async () => {
    const evil = generateKeyPairSync('ed25519');
    const forged = forgeJws({ ...goodHeader, jwk: await exportJWK(evil.publicKey) }, goodClaims, { kind: 'ed25519', key: evil.privateKey });
    expect(await verifyToken(forged)).toBe('invalid_token');
  });

  it('16: the verified claims carry cnf.jkt, so the endpoint can refuse a bound token sent as Bearer', async () => {
    const claims = await verifyAccessToken(token, tokenOpts);
    expect(claims.cnf?.jkt).toBe(jkt);
    expect(claims.vk_bearer).toBeUndefined();
    expect(parseAuthorization(['Authorization', `Bearer ${token}`], new URL(ROUTE)).scheme).toBe('Bearer');
  });
});

describe('credentials in the request (attacks 8, 17)', () => {
  it('17: Bearer and DPoP together are invalid_request', () => {
    const raw = ['Authorization', `Bearer ${token}`, 'Authorization', `DPoP ${token}`];
    expect(() => parseAuthorization(raw, new URL(ROUTE))).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('8: ?access_token= is invalid_request and the error does not echo the token', () => {
    let message = '';
    try {
      parseAuthorization([], new URL(`${ROUTE}?access_token=${token}`));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(ERRORS.invalid_request.message);
  });
});

describe('DPoP proofs (attacks 18-28)', () => {
  const proof = (options: Parameters<typeof makeProof>[2] = {}): string => makeProof(agent, NOW, { accessToken: token, ...options });

  it('baseline: a good proof is accepted', async () => {
    expect(await verifyProof(proof())).toBe('accepted');
  });

  it('18: a DPoP token with no DPoP header is refused', async () => {
    expect(await refusal(verifyDpopProof({ ...proofInput(''), headerValues: [] }))).toBe('invalid_dpop_proof');
  });

  it('19: proof typ JWT or missing is refused', async () => {
    expect(await verifyProof(proof({ header: { typ: 'JWT' } }))).toBe('invalid_dpop_proof');
    expect(await verifyProof(proof({ header: { typ: undefined } }))).toBe('invalid_dpop_proof');
    expect(await verifyProof(proof({ header: { typ: 'at+jwt' } }))).toBe('invalid_dpop_proof');
  });

  it('20: proof alg none or HS256 is refused', async () => {
    expect(await verifyProof(proof({ header: { alg: 'none' }, signer: { kind: 'none' } }))).toBe('invalid_dpop_proof');
    const secret = new Uint8Array(32).fill(7);
    const oct = { kty: 'oct', k: Buffer.from(secret).toString('base64url') };
    expect(await verifyProof(proof({ header: { alg: 'HS256', jwk: oct }, signer: { kind: 'hs256', secret } }))).toBe('invalid_dpop_proof');
  });

  it('21: a bad signature, or one by a key other than the embedded jwk, is refused', async () => {
    const good = proof();
    const flipped = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(await verifyProof(flipped)).toBe('invalid_dpop_proof');
    const other = generateKeyPairSync('ed25519');
    expect(await verifyProof(proof({ signer: { kind: 'ed25519', key: other.privateKey } }))).toBe('invalid_dpop_proof');
  });

  it('22: htm GET on a POST is refused', async () => {
    expect(await verifyProof(proof({ method: 'GET' }))).toBe('invalid_dpop_proof');
    expect(await verifyProof(proof({ method: 'post' }))).toBe('invalid_dpop_proof');
  });

  it.each([
    ['path', 'http://127.0.0.1:7777/v1/fetch'],
    ['port', 'http://127.0.0.1:7778/v1/resolve'],
    ['scheme', 'https://127.0.0.1:7777/v1/resolve'],
    ['host', 'http://evil.example:7777/v1/resolve'],
  ])('23: htu of another %s is refused', async (_name, url) => {
    expect(await verifyProof(proof({ url }))).toBe('invalid_dpop_proof');
  });

  it('24: iat 10 minutes old or 1 hour ahead is refused', async () => {
    expect(await verifyProof(proof({ iat: NOW - 600 }))).toBe('invalid_dpop_proof');
    expect(await verifyProof(proof({ iat: NOW + 3600 }))).toBe('invalid_dpop_proof');
  });

  it('25: the same proof replayed is refused', async () => {
    const replay = new ReplayCache();
    const once = proof();
    expect(await verifyProof(once, { replay })).toBe('accepted');
    expect(await verifyProof(once, { replay, nowSeconds: NOW + 30 })).toBe('invalid_dpop_proof');
  });

  it('26: ath missing or of another token is refused', async () => {
    expect(await verifyProof(proof({ accessToken: undefined }))).toBe('invalid_dpop_proof');
    const other = await issueAccessToken(key, { ...goodClaims, jti: 'another' });
    expect(await verifyProof(proof({ accessToken: other }))).toBe('invalid_dpop_proof');
  });

  it('27: a stolen token with the thief’s own key is invalid_token', async () => {
    const thief = await makeAgentKey('ES256');
    expect(await verifyProof(makeProof(thief, NOW, { accessToken: token }))).toBe('invalid_token');
  });

  it('28: a required nonce that is missing is use_dpop_nonce', async () => {
    expect(await verifyProof(proof(), { nonce: { required: true, check: () => true } })).toBe('use_dpop_nonce');
  });

  it('a jwk carrying the private key (d) is refused', async () => {
    const pair = generateKeyPairSync('ed25519');
    const privateJwk = await exportJWK(pair.privateKey);
    expect(privateJwk.d).toBeDefined();
    const forged = makeProof({ alg: 'EdDSA', privateKey: pair.privateKey, publicJwk: privateJwk }, NOW, { accessToken: token });
    const expectedJkt = await calculateJwkThumbprint(privateJwk, 'sha256');
    expect(await verifyProof(forged, { expectedJkt })).toBe('invalid_dpop_proof');
  });

  it('a proof naming its key by jku or x5u instead of jwk is refused', async () => {
    expect(await verifyProof(proof({ header: { jwk: undefined, jku: 'https://evil.example/jwks' } }))).toBe('invalid_dpop_proof');
    expect(await verifyProof(proof({ header: { jwk: undefined, x5u: 'https://evil.example/cert' } }))).toBe('invalid_dpop_proof');
  });
});
