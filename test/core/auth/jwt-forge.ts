/**
 * Test helpers that build JWTs by hand, so tests can make the malformed and malicious ones jose
 * refuses to produce (alg none, HS256 proofs, private keys in headers, wrong typ).
 */
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { ath } from '../../../src/core/auth/ath.js';
import type { TokenKey } from '../../../src/core/auth/token-key.js';

export type Signer =
  | { readonly kind: 'none' }
  | { readonly kind: 'ed25519'; readonly key: KeyObject }
  | { readonly kind: 'es256'; readonly key: KeyObject }
  | { readonly kind: 'hs256'; readonly secret: Uint8Array };

export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function forgeJws(header: object, payload: object, signer: Signer): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${signature(input, signer)}`;
}

function signature(input: string, signer: Signer): string {
  const data = Buffer.from(input, 'ascii');
  switch (signer.kind) {
    case 'none':
      return '';
    case 'ed25519':
      return sign(null, data, signer.key).toString('base64url');
    case 'es256':
      return sign('sha256', data, { key: signer.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'hs256':
      return createHmac('sha256', signer.secret).update(data).digest('base64url');
  }
}

export function makeTokenKey(keyId = 'k1'): TokenKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId, privateKey, publicKey };
}

/** An agent's DPoP key pair with its public JWK, as an SDK would hold it. */
export interface AgentKey {
  readonly alg: 'Ed25519' | 'EdDSA' | 'ES256';
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

export async function makeAgentKey(alg: AgentKey['alg'] = 'EdDSA'): Promise<AgentKey> {
  const pair = alg !== 'ES256' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { alg, privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
}

export function signerFor(agent: AgentKey): Signer {
  return agent.alg === 'ES256' ? { kind: 'es256', key: agent.privateKey } : { kind: 'ed25519', key: agent.privateKey };
}

export interface ProofOptions {
  readonly method?: string;
  readonly url?: string;
  readonly iat?: number;
  readonly accessToken?: string;
  readonly header?: Record<string, unknown>;
  readonly claims?: Record<string, unknown>;
  readonly signer?: Signer;
}

export const ROUTE = 'http://127.0.0.1:7777/v1/resolve';

/** A well-formed proof, which each option then spoils in one way. */
export function makeProof(agent: AgentKey, nowSeconds: number, options: ProofOptions = {}): string {
  const header = { typ: 'dpop+jwt', alg: agent.alg, jwk: agent.publicJwk, ...options.header };
  const payload = {
    jti: randomBytes(16).toString('base64url'),
    htm: options.method ?? 'POST',
    htu: options.url ?? ROUTE,
    iat: options.iat ?? nowSeconds,
    ...(options.accessToken === undefined ? {} : { ath: ath(options.accessToken) }),
    ...options.claims,
  };
  return forgeJws(header, payload, options.signer ?? signerFor(agent));
}
