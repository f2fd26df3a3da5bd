import { createPublicKey, verify } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { asSigningSeed } from '../../../src/core/crypto/types.js';
import { generateEngineKeys } from '../../../src/core/keys/key-store.js';
import { createEngineSigner } from '../../../src/core/keys/signing-key.js';

beforeAll(async () => { await loadSodium(); });

// RFC 8032 §7.1, test 1: the seed, public key and the signature of the empty message.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('createEngineSigner', () => {
  it('derives the RFC 8032 public key and signature from the test-vector seed', async () => {
    const signer = await createEngineSigner(asSigningSeed(Buffer.from(RFC8032_SEED, 'hex')));
    expect(Buffer.from(signer.publicJwk.x ?? '', 'base64url').toString('hex')).toBe(RFC8032_PUBLIC);
    expect(Buffer.from(signer.sign(new Uint8Array())).toString('hex')).toBe(RFC8032_SIG);
  });

  it('signs and verifies; a changed message or signature does not verify', async () => {
    const signer = await createEngineSigner(generateEngineKeys().signing);
    const data = new TextEncoder().encode('checkpoint 42: h=abc');
    const sig = signer.sign(data);
    expect(sig).toHaveLength(64);
    expect(signer.verify(data, sig)).toBe(true);
    expect(verify(null, data, createPublicKey({ key: signer.publicJwk as never, format: 'jwk' }), sig)).toBe(true);
    expect(signer.verify(new TextEncoder().encode('checkpoint 43: h=abc'), sig)).toBe(false);
    const bad = sig.slice();
    bad[0] = (bad[0] ?? 0) ^ 1;
    expect(signer.verify(data, bad)).toBe(false);
    expect(signer.verify(data, sig.subarray(0, 63))).toBe(false);
  });

  it('keyId is the RFC 7638 thumbprint, stable for a seed and different for another', async () => {
    const seed = generateEngineKeys().signing;
    const a = await createEngineSigner(seed);
    const b = await createEngineSigner(asSigningSeed(seed.slice()));
    const other = await createEngineSigner(generateEngineKeys().signing);
    expect(a.keyId).toBe(b.keyId);
    expect(a.keyId).not.toBe(other.keyId);
    expect(a.keyId).toBe(await calculateJwkThumbprint(await exportJWK(a.publicKey)));
    expect(a.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: a.keyId, alg: 'EdDSA' });
    expect(a.publicJwk).not.toHaveProperty('d');
  });

  it('jose signs an EdDSA at+jwt with it and verifies it with the public key only', async () => {
    const signer = await createEngineSigner(generateEngineKeys().signing);
    const jwt = await new SignJWT({ scope: 'vault:v1:read' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: signer.keyId })
      .setIssuer('valetkey').setAudience('valetkey-agents').setSubject('agent').setIssuedAt().setExpirationTime('5m')
      .sign(signer.privateKey);
    const { payload, protectedHeader } = await jwtVerify(jwt, signer.publicKey, {
      algorithms: ['EdDSA'], typ: 'at+jwt', issuer: 'valetkey', audience: 'valetkey-agents',
    });
    expect(payload.scope).toBe('vault:v1:read');
    expect(protectedHeader.kid).toBe(signer.keyId);
    const stranger = await createEngineSigner(generateEngineKeys().signing);
    await expect(jwtVerify(jwt, stranger.publicKey, { algorithms: ['EdDSA'] })).rejects.toThrow();
  });
});
