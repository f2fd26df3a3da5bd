import { VkError } from '../../shared/errors.js';
import { DPOP_ALGORITHMS } from './dpop-proof.js';
import { headerValues } from './header-values.js';

export type Authorization =
  | { readonly scheme: 'DPoP' | 'Bearer'; readonly token: string }
  | { readonly scheme: 'none' };

export type ChallengeError = 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce' | 'insufficient_scope';

// RFC 7235 token68, which every JWT matches; leading/trailing spaces are trimmed by Node already.
const CREDENTIALS = /^(\S+) +([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * Reads the credentials of a request from Node's flat `req.rawHeaders`. Two Authorization
 * headers, any other scheme, a malformed value, or an `access_token` query parameter →
 * VkError('invalid_request') (RFC 9449 §7.2, RFC 6750 §2.3). The caller must not log a URL
 * that was refused for carrying a token.
 */
export function parseAuthorization(rawHeaders: readonly string[], url: URL): Authorization {
  if (url.searchParams.has('access_token')) throw new VkError('invalid_request');
  const values = headerValues(rawHeaders, 'authorization');
  if (values.length === 0) return { scheme: 'none' };
  if (values.length > 1) throw new VkError('invalid_request');
  const match = CREDENTIALS.exec(values[0]?.trim() ?? '');
  if (match === null) throw new VkError('invalid_request'); // also "DPoP a, Bearer b": two schemes in one
  const scheme = (match[1] ?? '').toLowerCase(); // auth schemes are case-insensitive (RFC 9110 §11.1)
  const token = match[2] ?? '';
  if (scheme === 'dpop') return { scheme: 'DPoP', token };
  if (scheme === 'bearer') return { scheme: 'Bearer', token };
  throw new VkError('invalid_request');
}

/**
 * The WWW-Authenticate value for a 401/403 from the agent endpoint (RFC 9449 §7.1), naming where
 * the protected resource metadata is (RFC 9728 §5.1) when given, so a client can find the token endpoint.
 */
export function wwwAuthenticate(error?: ChallengeError, resourceMetadata?: string): string {
  const params = [...(error === undefined ? [] : [`error="${error}"`]), `algs="${DPOP_ALGORITHMS.join(' ')}"`];
  if (resourceMetadata !== undefined) params.push(`resource_metadata="${resourceMetadata}"`);
  return `DPoP ${params.join(', ')}`;
}
