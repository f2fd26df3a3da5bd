import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { VkError } from '../../shared/errors.js';
import { ath } from './ath.js';
import { normalizeHtu } from './htu.js';
import type { ReplayCache } from './replay-cache.js';

export const DPOP_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export const MAX_DPOP_HEADER_BYTES = 8192;
/** SECURITY.md DPoP 5: now - 60 s <= iat <= now + 5 s. */
export const DPOP_MAX_AGE_SECONDS = 60;
export const DPOP_MAX_SKEW_SECONDS = 5;

export interface DpopNonceCheck {
  readonly required: boolean;
  check(nonce: string): boolean;
}

export interface DpopProofInput {
  /** Every value of the DPoP header in the request (see headerValues). */
  readonly headerValues: readonly string[];
  readonly method: string;
  /** The canonical URL of the route, from configuration, never from the received Host. */
  readonly url: string;
  /** The access token presented with this proof, if any. */
  readonly accessToken?: string;
  /** The token's cnf.jkt, when a bound token is presented. */
  readonly expectedJkt?: string;
  readonly nonce?: DpopNonceCheck;
  readonly nowSeconds: number;
  readonly replay: ReplayCache;
}

export interface DpopProofResult {
  /** RFC 7638 SHA-256 thumbprint of the proof's key. */
  readonly jkt: string;
  readonly jti: string;
}

interface CheckedProof {
  readonly jwk: JWK;
  readonly payload: JWTPayload;
  readonly jti: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const KEY_TYPES: Readonly<Record<string, { readonly kty: string; readonly crv: string }>> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
};

/**
 * SECURITY.md "DPoP proofs" 1-9 (RFC 9449 §4.3). Order matters: everything about the proof
 * itself first (invalid_dpop_proof), then the key binding (invalid_token), then the nonce
 * (use_dpop_nonce), and the replay cache last, so a proof that fails anything else never
 * burns its jti.
 */
export async function verifyDpopProof(input: DpopProofInput): Promise<DpopProofResult> {
  const expectedHtu = normalizeHtu(input.url); // ours: a bad one is a bug, not the agent's fault
  const proof = await checkProofOrRefuse(input, expectedHtu);
  const jkt = await thumbprintOrRefuse(proof.jwk);
  if (input.expectedJkt !== undefined && jkt !== input.expectedJkt) throw new VkError('invalid_token');
  checkNonce(input.nonce, proof.payload.nonce);
  const verdict = input.replay.record(jkt, proof.jti, input.nowSeconds);
  if (verdict === 'replayed') throw new VkError('invalid_dpop_proof');
  if (verdict === 'full') throw new VkError('rate_limited');
  return { jkt, jti: proof.jti };
}

async function checkProofOrRefuse(input: DpopProofInput, expectedHtu: string): Promise<CheckedProof> {
  try {
    return await checkProof(input, expectedHtu);
  } catch {
    throw new VkError('invalid_dpop_proof'); // fixed message: nothing from the proof
  }
}

async function checkProof(input: DpopProofInput, expectedHtu: string): Promise<CheckedProof> {
  const proof = singleProof(input.headerValues);
  checkKeyHeader(decodeProtectedHeader(proof));
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
    algorithms: [...DPOP_ALGORITHMS],
    typ: 'dpop+jwt',
    currentDate: new Date(input.nowSeconds * 1000),
  });
  const jti = checkClaims(payload, input, expectedHtu);
  return { jwk: protectedHeader.jwk as JWK, payload, jti };
}

function singleProof(values: readonly string[]): string {
  if (values.length !== 1) throw new Error('proof count');
  const proof = values[0] ?? '';
  if (Buffer.byteLength(proof, 'utf8') > MAX_DPOP_HEADER_BYTES || !COMPACT_JWS.test(proof)) throw new Error('proof shape');
  return proof;
}

/** The key must suit the algorithm (no Ed448 under EdDSA, only P-256 for ES256); EmbeddedJWK refuses private and symmetric keys. */
function checkKeyHeader(header: Readonly<Record<string, unknown>>): void {
  const expected = typeof header.alg === 'string' && Object.hasOwn(KEY_TYPES, header.alg) ? KEY_TYPES[header.alg] : undefined;
  const jwk = header.jwk;
  if (expected === undefined || typeof jwk !== 'object' || jwk === null) throw new Error('proof key');
  const { kty, crv, d } = jwk as Record<string, unknown>;
  if (kty !== expected.kty || crv !== expected.crv || d !== undefined) throw new Error('proof key');
}

function checkClaims(payload: JWTPayload, input: DpopProofInput, expectedHtu: string): string {
  const { jti, htm, htu, iat } = payload;
  if (typeof jti !== 'string' || jti.length < 16 || jti.length > 64) throw new Error('jti');
  if (typeof htm !== 'string' || htm !== input.method) throw new Error('htm');
  if (typeof htu !== 'string' || normalizeHtu(htu) !== expectedHtu) throw new Error('htu');
  const now = input.nowSeconds;
  if (typeof iat !== 'number' || iat < now - DPOP_MAX_AGE_SECONDS || iat > now + DPOP_MAX_SKEW_SECONDS) throw new Error('iat');
  checkAth(payload.ath, input.accessToken);
  return jti;
}

/** With a token the proof must name it; without one, an `ath` means the proof was made for something else. */
function checkAth(claim: unknown, accessToken: string | undefined): void {
  if (accessToken === undefined) {
    if (claim !== undefined) throw new Error('ath');
    return;
  }
  if (typeof claim !== 'string' || claim !== ath(accessToken)) throw new Error('ath');
}

async function thumbprintOrRefuse(jwk: JWK): Promise<string> {
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    throw new VkError('invalid_dpop_proof');
  }
}

function checkNonce(nonce: DpopNonceCheck | undefined, claim: unknown): void {
  // Only enforced where the route requires it (token, device, sensitive vaults).
  if (nonce === undefined || !nonce.required) return;
  if (typeof claim !== 'string' || !nonce.check(claim)) throw new VkError('use_dpop_nonce');
}
