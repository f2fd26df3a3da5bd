/**
 * The engine's Ed25519 signer, built from the signing seed kept in the keychain or key file.
 * jose signs access tokens with `privateKey`; audit checkpoints use `sign`/`verify`. The public
 * JWK (with `kid`) is what `/jwks.json` publishes.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SigningSeed } from '../crypto/types.js';

export interface EngineSigner {
  /** RFC 7638 SHA-256 thumbprint of the public JWK: stable for a given seed. */
  readonly keyId: string;
  readonly publicJwk: JWK;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  sign(data: Uint8Array): Uint8Array;
  verify(data: Uint8Array, signature: Uint8Array): boolean;
}

const ED25519_SIGNATURE_BYTES = 64;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The seed is only read; the caller keeps ownership (and wipes it when the engine locks). */
export async function createEngineSigner(seed: SigningSeed): Promise<EngineSigner> {
  // The seed as PKCS#8 (RFC 8410): node derives the public key itself.
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const publicKey = createPublicKey(privateKey);
  const x = publicKey.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('not an Ed25519 key');
  const keyId = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, 'sha256');
  const publicJwk: JWK = Object.freeze({ kty: 'OKP', crv: 'Ed25519', x, kid: keyId, alg: 'EdDSA', use: 'sig' });
  return Object.freeze({
    keyId,
    publicJwk,
    privateKey,
    publicKey,
    sign: (data: Uint8Array): Uint8Array => new Uint8Array(sign(null, data, privateKey)),
    verify: (data: Uint8Array, signature: Uint8Array): boolean => verifySignature(publicKey, data, signature),
  });
}

function verifySignature(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
