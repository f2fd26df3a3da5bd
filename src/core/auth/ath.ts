import { sha256Base64url } from './sha256-base64url.js';

/** The DPoP `ath` claim for an access token: base64url(SHA-256(token)) (RFC 9449 §4.2). */
export function ath(accessToken: string): string {
  return sha256Base64url(accessToken);
}
