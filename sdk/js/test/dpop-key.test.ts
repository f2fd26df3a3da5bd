/** The hand-made DPoP proofs checked by an independent implementation (jose), and the thumbprint by RFC 7638. */
import { EmbeddedJWK, calculateJwkThumbprint, compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DpopKey, jwkThumbprint } from '../src/dpop-key.js';

describe('DpopKey', () => {
  it('computes the RFC 7638 thumbprint as jose does (and the RFC 8037 §A.3 example)', async () => {
    const key = DpopKey.generate();
    expect(key.thumbprint).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    expect(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('signs a proof jose verifies with the embedded key: typ, alg, claims, ath, nonce, fresh jti', async () => {
    const key = DpopKey.generate();
    const proof = key.proof({ htm: 'POST', htu: 'http://127.0.0.1:4000/v1/resolve', accessToken: 'tok.en.value', nonce: 'n-123' });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['EdDSA'] });
    expect(protectedHeader.jwk).toEqual(key.publicJwk);
    expect(protectedHeader.jwk).not.toHaveProperty('d');
    expect(payload).toMatchObject({ htm: 'POST', htu: 'http://127.0.0.1:4000/v1/resolve', nonce: 'n-123' });
    expect(payload.ath).toBe(createHash('sha256').update('tok.en.value').digest('base64url'));
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
    expect(String(payload.jti).length).toBeGreaterThanOrEqual(16);
    const again = key.proof({ htm: 'POST', htu: 'http://127.0.0.1:4000/v1/resolve' });
    expect((await jwtVerify(again, EmbeddedJWK)).payload.jti).not.toBe(payload.jti);
    expect((await jwtVerify(again, EmbeddedJWK)).payload).not.toHaveProperty('ath');
  });

  it('a tampered proof does not verify', async () => {
    const proof = DpopKey.generate().proof({ htm: 'GET', htu: 'http://localhost/v1/vaults' });
    const [h, p, sig] = proof.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ htm: 'POST', htu: 'http://localhost/v1/vaults', iat: 1, jti: 'x'.repeat(20) })).toString('base64url')}.${sig}`;
    await expect(compactVerify(forged, EmbeddedJWK)).rejects.toThrow();
    expect(p).toBeDefined();
    expect(decodeProtectedHeader(proof).typ).toBe('dpop+jwt');
  });

  it('round-trips through a private JWK (the key file) and keeps its thumbprint', () => {
    const key = DpopKey.generate();
    const back = DpopKey.fromPrivateJwk(key.toPrivateJwk());
    expect(back.thumbprint).toBe(key.thumbprint);
    expect(() => DpopKey.fromPrivateJwk({ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x } as never)).toThrow(TypeError);
  });
});
