import { verifyProofJws } from './proof-jws.js';
import { VkError } from '../../shared/errors.js';
import { ath } from './ath.js';
import { normalizeHtu } from './htu.js';
import type { ReplayCache } from './replay-cache.js';

/** Proof algorithms, as advertised in metadata and challenges; `Ed25519` and `EdDSA` name the same signature (RFC 9864). */
export const DPOP_ALGORITHMS = ['Ed25519', 'EdDSA', 'ES256'] as const;
export const MAX_DPOP_HEADER_BYTES = 8192;
/** docs/security.md DPoP 5: now - 60 s <= iat <= now + 5 s. */
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
  /**
   * The proof may leave out `ath` (an `ath` it carries must still name the token): token exchange
   * at the token endpoint, where RFC 9449 defines no `ath` and standard clients send none.
   */
  readonly athOptional?: boolean;
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
  /** The proof's `nonce` claim as sent (any type, or undefined), for routes that only prefer a fresh one. */
  readonly nonceClaim: unknown;
}

interface CheckedProof {
  readonly jkt: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly jti: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * docs/security.md "DPoP proofs" 1-9 (RFC 9449 §4.3). Order matters: everything about the proof
 * itself first (invalid_dpop_proof), then the key binding (invalid_token), then the nonce
 * (use_dpop_nonce), and the replay cache last, so a proof that fails anything else never
 * burns its jti.
 */
export async function verifyDpopProof(input: DpopProofInput): Promise<DpopProofResult> {
  const expectedHtu = canonicalHtu(input.url); // ours: a bad one is a bug, not the agent's fault
  const proof = checkProofOrRefuse(input, expectedHtu);
  const jkt = proof.jkt;
  if (input.expectedJkt !== undefined && jkt !== input.expectedJkt) throw new VkError('invalid_token');
  checkNonce(input.nonce, proof.payload.nonce);
  // Past iat + 60 s the proof is refused by its age, so its entry may go then (checkClaims made iat a number).
  const verdict = input.replay.record(jkt, proof.jti, input.nowSeconds, (proof.payload.iat as number) + DPOP_MAX_AGE_SECONDS + 1);
  if (verdict === 'replayed') throw new VkError('invalid_dpop_proof');
  if (verdict === 'full') throw new VkError('rate_limited');
  return { jkt, jti: proof.jti, nonceClaim: proof.payload.nonce };
}

function checkProofOrRefuse(input: DpopProofInput, expectedHtu: string): CheckedProof {
  try {
    return checkProof(input, expectedHtu);
  } catch {
    throw new VkError('invalid_dpop_proof'); // fixed message: nothing from the proof
  }
}

function checkProof(input: DpopProofInput, expectedHtu: string): CheckedProof {
  const proof = singleProof(input.headerValues);
  const { payload, jkt } = verifyProofJws(proof, input.nowSeconds);
  const jti = checkClaims(payload, input, expectedHtu);
  return { jkt, payload, jti };
}

/** The routes' canonical URLs come from configuration (a handful): each is normalised once. */
const canonicalHtus = new Map<string, string>();

function canonicalHtu(url: string): string {
  const known = canonicalHtus.get(url);
  if (known !== undefined) return known;
  const normalized = normalizeHtu(url);
  if (canonicalHtus.size >= 64) canonicalHtus.clear();
  canonicalHtus.set(url, normalized);
  return normalized;
}

function singleProof(values: readonly string[]): string {
  if (values.length !== 1) throw new Error('proof count');
  const proof = values[0] ?? '';
  if (Buffer.byteLength(proof, 'utf8') > MAX_DPOP_HEADER_BYTES || !COMPACT_JWS.test(proof)) throw new Error('proof shape');
  return proof;
}

function checkClaims(payload: Readonly<Record<string, unknown>>, input: DpopProofInput, expectedHtu: string): string {
  const { jti, htm, htu, iat } = payload;
  if (typeof jti !== 'string' || jti.length < 16 || jti.length > 64) throw new Error('jti');
  if (typeof htm !== 'string' || htm !== input.method) throw new Error('htm');
  // The same string as the route's URL normalises to the same value: no need to parse it again.
  if (typeof htu !== 'string' || (htu !== input.url && normalizeHtu(htu) !== expectedHtu)) throw new Error('htu');
  const now = input.nowSeconds;
  if (typeof iat !== 'number' || iat < now - DPOP_MAX_AGE_SECONDS || iat > now + DPOP_MAX_SKEW_SECONDS) throw new Error('iat');
  checkAth(payload.ath, input.accessToken, input.athOptional === true);
  return jti;
}

/** With a token the proof must name it (unless optional); without one, an `ath` means the proof was made for something else. */
function checkAth(claim: unknown, accessToken: string | undefined, optional: boolean): void {
  if (accessToken === undefined) {
    if (claim !== undefined) throw new Error('ath');
    return;
  }
  if (claim === undefined && optional) return;
  if (typeof claim !== 'string' || claim !== ath(accessToken)) throw new Error('ath');
}

function checkNonce(nonce: DpopNonceCheck | undefined, claim: unknown): void {
  // Only enforced where the route requires it (token, device, sensitive vaults).
  if (nonce === undefined || !nonce.required) return;
  if (typeof claim !== 'string' || !nonce.check(claim)) throw new VkError('use_dpop_nonce');
}
