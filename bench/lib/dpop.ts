/**
 * Fast DPoP proofs for the load generator (node:crypto Ed25519, no async): made ahead of the
 * timed window so the engine is measured, not the client's signing.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface DpopKey {
  readonly privateKey: KeyObject;
  readonly jwk: { kty: string; crv: string; x: string };
  readonly thumbprint: string;
}

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export function newDpopKey(): DpopKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  const jwk = { kty: 'OKP', crv: 'Ed25519', x };
  const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
  return { privateKey, jwk, thumbprint };
}

export function proof(key: DpopKey, method: string, htu: string, options: { accessToken?: string; nonce?: string } = {}): string {
  const header = b64(JSON.stringify({ typ: 'dpop+jwt', alg: 'EdDSA', jwk: key.jwk }));
  const claims: Record<string, unknown> = { jti: randomBytes(16).toString('base64url'), htm: method, htu, iat: Math.floor(Date.now() / 1000) };
  if (options.accessToken) claims.ath = createHash('sha256').update(options.accessToken).digest('base64url');
  if (options.nonce) claims.nonce = options.nonce;
  const input = `${header}.${b64(JSON.stringify(claims))}`;
  return `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
}
