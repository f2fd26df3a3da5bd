import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { VkError } from '../../shared/errors.js';
import { parseAccessTokenClaims, type AccessTokenClaims } from './access-token-claims.js';
import type { TokenKey } from './token-key.js';

export type { AccessTokenClaims, ActorClaim } from './access-token-claims.js';

export interface VerifyAccessTokenOptions {
  readonly key: TokenKey;
  readonly issuer: string;
  readonly audience: string;
  readonly nowSeconds: number;
}

/** docs/security.md "Access tokens": at most 5 s of clock skew. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE = 5;
// Far above any token we issue; bounds the work an attacker's garbage can cost.
const MAX_TOKEN_LENGTH = 8192;
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'client_id', 'iat', 'exp', 'jti', 'scope'];
// Key-locating headers we never honour (RFC 8725 §3.10): a token naming its own key is refused.
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];

/** Signs an RFC 9068 access token. Throws TypeError on malformed claims: that is a bug, not a user error. */
export async function issueAccessToken(key: TokenKey, claims: AccessTokenClaims): Promise<string> {
  let checked: AccessTokenClaims;
  try {
    checked = parseAccessTokenClaims(claims as unknown as Record<string, unknown>);
  } catch {
    throw new TypeError('access token claims are malformed (need cnf.jkt, or vk_bearer without cnf)');
  }
  return new SignJWT({ ...checked })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.keyId })
    .sign(key.privateKey);
}

/**
 * Verifies an access token against our one key. Revocation and pause are not checked here: the
 * caller does that on every request. Every failure is VkError('invalid_token'), fixed message.
 */
export async function verifyAccessToken(token: string, options: VerifyAccessTokenOptions): Promise<AccessTokenClaims> {
  try {
    return await verifyOrThrow(token, options);
  } catch {
    throw new VkError('invalid_token');
  }
}

async function verifyOrThrow(token: string, options: VerifyAccessTokenOptions): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new Error('token size');
  checkHeader(decodeProtectedHeader(token), options.key.keyId);
  const { payload } = await jwtVerify(token, options.key.publicKey, {
    algorithms: ['EdDSA'],
    // jose compares typ case-insensitively with an optional "application/" prefix (RFC 9068 §4).
    typ: 'at+jwt',
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: REQUIRED_CLAIMS,
    clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE,
    currentDate: new Date(options.nowSeconds * 1000),
  });
  return parseAccessTokenClaims(payload);
}

function checkHeader(header: Readonly<Record<string, unknown>>, keyId: string): void {
  if (header.alg !== 'EdDSA' || header.kid !== keyId) throw new Error('header');
  if (FORBIDDEN_HEADERS.some((name) => Object.hasOwn(header, name))) throw new Error('header');
}
