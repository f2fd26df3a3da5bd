import { hash } from 'node:crypto';

/** base64url(SHA-256(value)): how tokens and jtis are referred to without keeping them. */
export function sha256Base64url(value: string): string {
  // One-shot: a Hash object per call costs more than hashing a token-sized string.
  return hash('sha256', value, 'base64url');
}
