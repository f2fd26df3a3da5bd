/**
 * The one authentication pipeline of protected routes (docs/security.md "Access tokens", "DPoP
 * proofs"). Per request: a cached signature check, an in-memory revocation lookup, one proof
 * verification with one replay-cache insert. No database read.
 */
import { hash } from 'node:crypto';
import type { TokenRecord } from '../agent/agent-services.js';
import type { AccessTokenClaims } from '../auth/access-token.js';
import { parseAuthorization, type Authorization } from '../auth/authorization-header.js';
import { verifyDpopProof, type DpopProofInput } from '../auth/dpop-proof.js';
import { headerValues } from '../auth/header-values.js';
import { isVkError, VkError } from '../../shared/errors.js';
import { canonicalUrl, nowMs, nowSeconds, type EndpointRequest } from './endpoint-context.js';
import { NO_CREDENTIALS } from './endpoint-response.js';

export interface Authenticated {
  readonly claims: AccessTokenClaims;
  readonly record: TokenRecord;
  /** Thumbprint of the proof key (DPoP tokens); null for opted-in bearer tokens. */
  readonly jkt: string | null;
  /** The proof carried a current server nonce (needed for sensitive vaults). False for bearer tokens. */
  readonly nonceFresh: boolean;
}

type Presented = Extract<Authorization, { readonly token: string }>;

/**
 * `deferUse`: the route counts the use itself (countUse) once the request is past the nonce
 * handshake, so a client's nonce retry is not a second use of the token.
 */
export async function authenticate(r: EndpointRequest, options: { readonly deferUse?: boolean } = {}): Promise<Authenticated> {
  const auth = parseAuthorization(r.req.rawHeaders, r.url); // two schemes, bad shape → 400 invalid_request
  if (auth.scheme === 'none') throw new VkError('invalid_token', NO_CREDENTIALS);
  r.trail.presented = true;
  r.trail.credential = hash('sha256', auth.token, 'hex').slice(0, 32);
  const { services } = r.state;
  const claims = await verifyToken(r, auth.token);
  r.trail.tokenId = claims.jti;
  r.trail.agent = claims.client_id; // the current actor of an exchanged token, else the agent
  const record = liveRecord(r, claims);
  r.trail.keyThumbprint = record.jkt;
  const proof = await checkBinding(r, auth, claims).catch((e: unknown) => {
    // A valid proof from another key than the token's (the one invalid_token a DPoP proof check
    // gives): refused as before, and now a tripwire alert.
    const otherKey = isVkError(e) && e.code === 'invalid_token' && auth.scheme === 'DPoP' && claims.cnf !== undefined;
    if (otherKey && !services.locked()) services.tripwires.keyRefused(record, r.trail, { via: r.listener.kind, route: r.action });
    throw e;
  });
  // Pause and lock after authentication, so the refusal row names a verified agent.
  if (services.paused()) throw new VkError('agents_paused');
  if (services.locked()) throw new VkError('vault_locked');
  services.tripwires.admit(record);
  const authenticated = { claims, record, ...proof };
  if (options.deferUse !== true) countUse(r, authenticated);
  return authenticated;
}

/** One use against the token's max uses and requests per minute (throws when either is spent). */
export function countUse(r: EndpointRequest, auth: Authenticated): void {
  r.state.services.tokens.consume(auth.record.id, nowMs(r));
}

/**
 * Right before values are read and released: a request may have waited for a person, and the
 * engine may have locked, agents been paused or the token revoked or expired meanwhile.
 */
export function recheck(r: EndpointRequest, auth: Authenticated): void {
  if (r.state.services.paused()) throw new VkError('agents_paused');
  if (r.state.services.locked()) throw new VkError('vault_locked');
  liveRecord(r, auth.claims);
}

/** Signature, typ, iss, aud, exp and claim shapes, against our one key (cached per token). */
export function verifyToken(r: EndpointRequest, token: string): Promise<AccessTokenClaims> {
  const { state } = r;
  return state.tokenCache.verify(token, { key: state.services.tokenKey(), issuer: state.issuer, audience: state.issuer, nowSeconds: nowSeconds(r) });
}

/** Revocation and expiry are checked on every request, against the engine's in-memory records. */
export function liveRecord(r: EndpointRequest, claims: AccessTokenClaims): TokenRecord {
  const record = r.state.services.tokens.record(claims.jti);
  if (record === undefined || record.revokedAt !== null || record.expiresAt <= nowMs(r)) throw new VkError('invalid_token');
  // The signed claims and the record must tell the same story about the key.
  const boundTo = claims.cnf?.jkt ?? null;
  if (record.jkt !== boundTo || (record.binding === 'bearer') !== (boundTo === null)) throw new VkError('invalid_token');
  return record;
}

async function checkBinding(r: EndpointRequest, auth: Presented, claims: AccessTokenClaims): Promise<Pick<Authenticated, 'jkt' | 'nonceFresh'>> {
  if (claims.cnf === undefined) {
    // An opted-in bearer token is sent as Bearer; under the DPoP scheme it would claim a binding it lacks.
    if (auth.scheme !== 'Bearer') throw new VkError('invalid_token');
    return { jkt: null, nonceFresh: false };
  }
  if (auth.scheme !== 'DPoP') throw new VkError('invalid_token'); // RFC 9449 §7.2: bound token as Bearer
  const values = headerValues(r.req.rawHeaders, 'dpop');
  if (values.length === 0) throw new VkError('invalid_dpop_proof');
  const { jkt, nonceClaim } = await verifyDpopProof({
    headerValues: values,
    method: r.req.method ?? '',
    url: canonicalUrl(r),
    accessToken: auth.token,
    expectedJkt: claims.cnf.jkt,
    nowSeconds: nowSeconds(r),
    replay: r.state.replay,
  });
  return { jkt, nonceFresh: proofNonceIsFresh(r, nonceClaim) };
}

/** Called only after the proof verified, with the nonce claim its payload carried. */
function proofNonceIsFresh(r: EndpointRequest, nonce: unknown): boolean {
  r.trail.nonceOffered = nonce !== undefined;
  return typeof nonce === 'string' && r.state.nonces.check(nonce);
}

/**
 * A proof with no access token (device authorization, token endpoint): its key becomes the
 * agent's key. The server nonce is required here (docs/security.md DPoP 9).
 */
export async function verifyKeyProof(r: EndpointRequest, options: Pick<DpopProofInput, 'accessToken' | 'athOptional' | 'expectedJkt'> = {}): Promise<string> {
  const values = headerValues(r.req.rawHeaders, 'dpop');
  if (values.length === 0) throw new VkError('invalid_dpop_proof', 'this endpoint needs a DPoP proof');
  const { jkt } = await verifyDpopProof({
    headerValues: values,
    method: r.req.method ?? '',
    url: canonicalUrl(r),
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken, athOptional: options.athOptional === true }),
    ...(options.expectedJkt === undefined ? {} : { expectedJkt: options.expectedJkt }),
    nonce: { required: true, check: (n) => r.state.nonces.check(n) },
    nowSeconds: nowSeconds(r),
    replay: r.state.replay,
  });
  r.trail.keyThumbprint = jkt;
  return jkt;
}

/** Whether the request carries any DPoP header (enrollment of a bearer token carries none). */
export function hasDpopHeader(r: EndpointRequest): boolean {
  return headerValues(r.req.rawHeaders, 'dpop').length > 0;
}
