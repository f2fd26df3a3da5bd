/**
 * The engine's Ed25519 signer, built from the signing seed kept in the keychain or key file.
 * jose signs access tokens with `privateKey`; audit checkpoints use `sign`/`verify`. The public
 * JWK (with `kid`) is what `/jwks.json` publishes.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { loadSodium } from '../crypto/sodium.js';
import { wipe, type SigningSeed } from '../crypto/types.js';

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

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The seed is only read; the caller keeps ownership (and wipes it when the engine locks). */
export async function createEngineSigner(seed: SigningSeed): Promise<EngineSigner> {
  const s = await loadSodium();
  const pair = s.crypto_sign_seed_keypair(seed);
  wipe(pair.privateKey); // libsodium's 64-byte secret key is seed ‖ public key; node only needs the seed
  const x = base64url(pair.publicKey);
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: base64url(seed), x }, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
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
